//! The `vpcreach` binary: parse arguments, run, exit with the documented code.

use clap::Parser;

fn main() {
    let cli = match vpcreach::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Usage errors are bad input (exit 2); --help and --version are not errors.
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let status = vpcreach::cli::run(cli, &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(status as i32);
}
