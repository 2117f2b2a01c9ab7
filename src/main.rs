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
    // Block-buffered: a large JSON report is written in a few system calls, not one per line.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let status = vpcreach::cli::run(cli, &mut out, &mut stderr.lock());
    // `exit` runs no destructors: flush the report first.
    let _ = std::io::Write::flush(&mut out);
    std::process::exit(status as i32);
}
