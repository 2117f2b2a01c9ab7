//! The command line: argument types (clap) and the commands, returning an exit code. Kept in
//! the library so tests drive it directly; `main.rs` only parses and exits.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::{self, SecurityGroupId, SubnetId};
use crate::reachability::{self, services, ServiceSpec, Workload};
use crate::report::{self, HumanOptions};
use crate::rules;

/// Exit codes (README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every required service is reachable.
    Ready = 0,
    /// Some required service is unreachable or unknown.
    Degraded = 1,
    /// Bad input or usage.
    Error = 2,
}

#[derive(Debug, Parser)]
#[command(name = "vpcreach", version, about = "Offline reachability analysis of AWS VPC snapshots for Fargate workloads")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// A Mermaid flowchart of the paths per workload (renders on GitHub).
    Mermaid,
    /// The same graph in Graphviz DOT.
    Dot,
    /// One self-contained HTML page: matrix, paths, diagnostics and topology.
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
    /// The whole documentation (docs/rules.md).
    Markdown,
}

/// When `analyze` exits 1.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    /// Some (subnet, service) is not reachable (the runner would report "degraded").
    Degraded,
    /// Some error-severity diagnostic remains after `--ignore`.
    Error,
    /// Some error or warning remains after `--ignore`.
    Warning,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Profile {
    /// The runner's own checks: secretsmanager, logs, ecr.api, ecr.dkr, s3.
    Runner,
    /// Every endpoint the runner stack needs: 18 services and the management plane.
    Stack,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether diagnostics on standard error are coloured (`auto`: a terminal, no `NO_COLOR`).
    pub fn on_stderr(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a snapshot file (or a Batfish-layout folder of AWS CLI outputs).
    Analyze(AnalyzeArgs),
    /// List the diagnostics catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print the documentation of one diagnostic code (e.g. VPCR103).
    Explain { code: String },
    /// Export a snapshot from the live AWS APIs (read-only; docs/iam-policy.json lists every call).
    #[cfg(feature = "aws")]
    Snapshot(SnapshotArgs),
    /// Write a synthetic hub-and-spoke estate (benchmarks, scale tests): deterministic per seed.
    Generate {
        /// Spoke VPCs (10 subnets each; a hub VPC per region of 250 spokes is added).
        #[arg(long, default_value_t = 10)]
        vpcs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the snapshot; default: standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Turn a folder of AWS CLI outputs (Batfish layout) into one snapshot file.
    Import {
        /// The folder (`aws_configs/[accounts/<id>/]<region>/*.json`).
        dir: PathBuf,
        /// Where to write the snapshot (owner-only permissions); default: standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check folders of snapshots against their expect.json assertions (regression tests).
    Test(crate::expect::TestArgs),
    /// Compare two snapshots (or one with and without overlays): what a change breaks or fixes.
    Diff(crate::diff::DiffArgs),
}

#[cfg(feature = "aws")]
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// Region to export (repeatable); default: the profile's or AWS_REGION.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Named profile of the AWS config and credentials files.
    #[arg(long)]
    pub profile: Option<String>,
    /// Send every API call to this endpoint instead of AWS (a local test server).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Where to write the snapshot (owner-only permissions); default: standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// No progress and no summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What to check and report: the options `analyze` and `diff` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Selection {
    /// Which services to check.
    #[arg(long, value_enum, default_value_t = Profile::Runner)]
    pub profile: Profile,
    /// Check only these services (repeatable), by id: secretsmanager, logs, ecr.api, …
    #[arg(long = "service", value_name = "ID")]
    pub services: Vec<String>,
    /// Also trace to this destination, `ADDRESS:PORT` or `NAME:PORT` (repeatable): design
    /// review of any address or name in the snapshot.
    #[arg(long = "to", value_name = "DEST:PORT")]
    pub to: Vec<String>,
    /// Add the runner's management plane (app.gitpod.io:443) to the runner profile (the stack
    /// profile always has it).
    #[arg(long)]
    pub management_plane: bool,
    /// PrivateLink endpoint service of the management plane.
    #[arg(long, value_name = "NAME", default_value = services::MANAGEMENT_PLANE_SERVICE)]
    pub management_plane_service: String,
    /// Analyse these subnets instead of the snapshot's ECS services (repeatable).
    #[arg(long = "subnet", value_name = "SUBNET_ID")]
    pub subnets: Vec<String>,
    /// Security groups of the ad-hoc workload (repeatable); default: the VPC default group.
    #[arg(long = "security-group", value_name = "SG_ID", requires = "subnets")]
    pub security_groups: Vec<String>,
    /// The ad-hoc workload's tasks get a public IP (the stack's "Assign Public IP" parameter).
    #[arg(long, requires = "subnets")]
    pub assign_public_ip: bool,
    /// Diagnostic codes to leave out of the report (repeatable).
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Snapshot JSON file or folder.
    pub snapshot: PathBuf,
    /// What-if overlays merged into the snapshot in order, by resource ID (README "What-if overlays").
    #[arg(value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub selection: Selection,
    /// What makes the exit code 1: a result that is not reachable (default), or a remaining
    /// diagnostic of this severity or worse.
    #[arg(long, value_enum, default_value_t = FailOn::Degraded)]
    pub fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print the time and peak memory of each phase (load, analyse, report) on standard error.
    #[arg(long)]
    pub timings: bool,
}

/// Runs a parsed command, writing to `out` and `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    match cli.command {
        Command::Analyze(args) => analyze(args, out, err),
        Command::Rules { format } => list_rules(format, out),
        Command::Import { dir, output } => import(&dir, output.as_deref(), out, err),
        Command::Generate { vpcs, seed, output } => generate(vpcs, seed, output.as_deref(), out, err),
        Command::Test(args) => crate::expect::run(&args, out, err),
        Command::Diff(args) => crate::diff::run(&args, out, err),
        #[cfg(feature = "aws")]
        Command::Snapshot(args) => snapshot(&args, out, err),
        Command::Explain { code } => match rules::lookup(&code) {
            Some(rule) => {
                let _ = writeln!(out, "{} {} ({})\n\n{}", rule.code, rule.name, rule.severity.as_str(), rule.doc_text());
                ExitStatus::Ready
            }
            None => {
                let _ = writeln!(err, "error: unknown diagnostic code `{code}`; `vpcreach rules` lists them");
                ExitStatus::Error
            }
        },
    }
}

fn generate(vpcs: usize, seed: u64, output: Option<&std::path::Path>, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let (text, stats) = crate::generate::generate(crate::generate::Options { vpcs, seed });
    let written = match output {
        Some(path) => std::fs::write(path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display())),
        // A reader that stopped early (`| head`) is not an error (as ripgrep does).
        None => match writeln!(out, "{text}") {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitStatus::Ready,
            other => other.map_err(|e| e.to_string()),
        },
    };
    if let Err(message) = written {
        let _ = writeln!(err, "error: {message}");
        return ExitStatus::Error;
    }
    let _ = writeln!(
        err,
        "generated {} regions, {} accounts, {} VPCs, {} subnets, {} security group rules, {} TGW routes, {} ECS services, {} spokes broken on purpose ({} bytes)",
        stats.regions, stats.accounts, stats.vpcs, stats.subnets, stats.sg_rules, stats.tgw_routes, stats.ecs_services, stats.broken_spokes, text.len()
    );
    ExitStatus::Ready
}

fn import(dir: &std::path::Path, output: Option<&std::path::Path>, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let options = HumanOptions { color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(), width: 110 };
    let value = match model::import::import_dir(dir) {
        Ok(v) => v,
        Err(e) => {
            let _ = write!(err, "{}", report::render_load_error(&e, options));
            return ExitStatus::Error;
        }
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    match output {
        None => {
            let _ = out.write_all(text.as_bytes());
        }
        Some(path) => {
            if let Err(e) = write_private(path, text.as_bytes()) {
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                return ExitStatus::Error;
            }
            let _ = writeln!(err, "wrote {}", path.display());
        }
    }
    ExitStatus::Ready
}

#[cfg(feature = "aws")]
fn snapshot(args: &SnapshotArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let options = crate::export::ExportOptions {
        regions: args.regions.clone(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: cannot start the async runtime: {e}");
            return ExitStatus::Error;
        }
    };
    let export = match runtime.block_on(crate::export::export(&options)) {
        Ok(x) => x,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return ExitStatus::Error;
        }
    };
    let text = serde_json::to_string_pretty(&export.snapshot).unwrap_or_default() + "\n";
    match &args.output {
        None => {
            let _ = out.write_all(text.as_bytes());
        }
        Some(path) => {
            if let Err(e) = write_private(path, text.as_bytes()) {
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                return ExitStatus::Error;
            }
        }
    }
    if !args.quiet {
        let _ = writeln!(err, "captured:");
        for (region, key, count) in &export.counts {
            let _ = writeln!(err, "  {region:<15} {key:<32} {count}");
        }
        if export.gaps > 0 {
            let _ = writeln!(
                err,
                "{} call(s) failed; their keys are left out and listed under `Gaps` (analyze reports them as not captured)",
                export.gaps
            );
        }
        if let Some(path) = &args.output {
            let _ = writeln!(err, "wrote {}", path.display());
        }
    }
    ExitStatus::Ready
}

/// Writes a file readable by its owner only: a snapshot describes the network.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)
}

fn list_rules(format: RulesFormat, out: &mut dyn Write) -> ExitStatus {
    match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = rules::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({"code": r.code, "name": r.name, "severity": r.severity.as_str(), "summary": r.summary, "docs": r.docs_path()})
                })
                .collect();
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        }
        RulesFormat::Markdown => {
            let _ = write!(out, "{}", rules::markdown_catalogue());
        }
        RulesFormat::Human => {
            for r in rules::RULES {
                let _ = writeln!(out, "{}  {:<40} {:<8} {}", r.code, r.name, r.severity.as_str(), r.summary);
            }
        }
    }
    ExitStatus::Ready
}

/// The services `args` asks for: a profile, `--service` ids, `--management-plane` and `--to`
/// destinations.
pub fn pick_services(args: &Selection) -> Result<Vec<&'static ServiceSpec>, String> {
    // A code that names no rule would ignore nothing, silently (a typo in CI, say).
    for code in &args.ignore {
        if !rules::RULES.iter().any(|r| r.code.eq_ignore_ascii_case(code)) {
            return Err(match rules::lookup(code) {
                Some(rule) => format!("--ignore takes a code: `{code}` is {}", rule.code),
                None => format!("--ignore {code}: no diagnostic has this code; `vpcreach rules` lists them"),
            });
        }
    }
    let mut ids: Vec<&str> = if !args.services.is_empty() {
        args.services.iter().map(String::as_str).collect()
    } else if !args.to.is_empty() {
        Vec::new()
    } else {
        match args.profile {
            Profile::Runner => services::RUNNER_PROFILE.to_vec(),
            Profile::Stack => services::STACK_PROFILE.to_vec(),
        }
    };
    if args.management_plane && !ids.contains(&"management-plane") {
        ids.push("management-plane");
    }
    let mut specs: Vec<&'static ServiceSpec> = ids
        .into_iter()
        .map(|id| {
            if id == "management-plane" && args.management_plane_service != services::MANAGEMENT_PLANE_SERVICE {
                return Ok(services::management_plane_with(&args.management_plane_service));
            }
            services::lookup(id).ok_or_else(|| {
                format!("unknown service `{id}`; known: {}", services::SERVICES.iter().map(|s| s.id).collect::<Vec<_>>().join(", "))
            })
        })
        .collect::<Result<_, _>>()?;
    for target in &args.to {
        specs.push(services::custom_target(target)?);
    }
    Ok(specs)
}

/// The workloads `args` asks for: `--subnet` (with `--security-group`, `--assign-public-ip`), or
/// the snapshot's ECS services, or every subnet with the stated assumption.
pub fn pick_workloads(args: &Selection, snapshot: &model::Snapshot) -> Result<(Vec<Workload>, Option<reachability::Fact>), String> {
    if args.subnets.is_empty() {
        let (workloads, assumption) = reachability::default_workloads(snapshot);
        // An empty snapshot captured nothing: it cannot be ready (an absent key is "not
        // captured", never "none exist").
        if workloads.iter().all(|w| w.subnet_ids.is_empty()) {
            let unknown: Vec<String> = snapshot
                .warnings
                .iter()
                .flat_map(|w| match w {
                    model::LoadWarning::UnknownKeys { keys, .. } => keys.iter().map(|(k, _)| format!("`{k}`")).collect(),
                    _ => Vec::new(),
                })
                .collect();
            let hint = if unknown.is_empty() {
                String::new()
            } else {
                format!(" (keys it does not know: {}; the keys are AWS's own, `Subnets` for instance)", unknown.join(", "))
            };
            return Err(format!(
                "nothing to analyse: {} holds no subnet (`Subnets` is empty or was not captured){hint}; check the path and the export",
                snapshot.path
            ));
        }
        return Ok((workloads, assumption));
    }
    if let Some(id) = args.subnets.iter().find(|id| !snapshot.subnets.contains_key(id.as_str())) {
        return Err(format!("--subnet {id} is not in the snapshot"));
    }
    if let Some(id) = args.security_groups.iter().find(|id| !snapshot.security_groups.contains_key(id.as_str())) {
        return Err(format!("--security-group {id} is not in the snapshot"));
    }
    // FG-2: the task ENI's security groups are in its subnet's VPC (without --security-group,
    // each subnet gets its own VPC's default group).
    for id in &args.security_groups {
        let Some(group_vpc) = snapshot.security_groups.get(id.as_str()).and_then(|g| g.vpc_id.as_ref()) else { continue };
        let other = args.subnets.iter().filter_map(|s| snapshot.subnets.get(s.as_str())).find(|s| s.vpc_id != *group_vpc);
        if let Some(subnet) = other {
            return Err(format!(
                "--security-group {id} is in {group_vpc}, --subnet {} in {}: a task's security groups belong to its subnet's VPC (FG-2)",
                subnet.id, subnet.vpc_id
            ));
        }
    }
    let workload = Workload {
        name: "cli".to_owned(),
        subnet_ids: args.subnets.iter().cloned().map(SubnetId::from).collect(),
        security_group_ids: (!args.security_groups.is_empty())
            .then(|| args.security_groups.iter().cloned().map(SecurityGroupId::from).collect()),
        assign_public_ip: args.assign_public_ip,
        span: None,
    };
    Ok((vec![workload], None))
}

fn analyze(args: AnalyzeArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let options = HumanOptions { color: args.color.on_stderr(), width: 110 };
    let mut timings = crate::timings::Timings::default();
    let services = match pick_services(&args.selection) {
        Ok(s) => s,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return ExitStatus::Error;
        }
    };
    let loaded = timings.phase("load (read, parse, check)", || model::load_with_overlays(&args.snapshot, &args.overlays));
    let snapshot = match loaded {
        Ok(s) => s,
        Err(e) => {
            let _ = write!(err, "{}", report::render_load_error(&e, options));
            return ExitStatus::Error;
        }
    };
    let (workloads, assumption) = match pick_workloads(&args.selection, &snapshot) {
        Ok(w) => w,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return ExitStatus::Error;
        }
    };
    let mut analysis = timings.phase("analyse", || reachability::analyze(&snapshot, &workloads, &services));
    analysis.facts.extend(assumption);
    timings.phase("report (render, write)", || write_report(&args, &snapshot, &analysis, options, out));
    let worst = || report::all_findings(&snapshot, &analysis, &args.selection.ignore).iter().map(|f| f.severity).max();
    let fails = match args.fail_on {
        FailOn::Degraded => !report::is_ready(&analysis),
        FailOn::Error => worst() == Some(rules::Severity::Error),
        FailOn::Warning => worst() >= Some(rules::Severity::Warning),
    };
    if args.timings {
        let _ = out.flush();
        let _ = write!(err, "{}", timings.render());
    }
    // Freeing a large snapshot and analysis takes a while (0.15 s at 1,000 VPCs, issue 7): it
    // is left to another thread, which the process's exit does not wait for (or done here when
    // no thread can be started).
    let _ = std::thread::Builder::new().spawn(move || drop((snapshot, analysis, workloads)));
    if fails {
        ExitStatus::Degraded
    } else {
        ExitStatus::Ready
    }
}

/// Writes the report in the chosen format; JSON and SARIF are streamed, not built as a string.
fn write_report(
    args: &AnalyzeArgs,
    snapshot: &model::Snapshot,
    analysis: &reachability::Analysis,
    options: HumanOptions,
    out: &mut dyn Write,
) {
    match args.format {
        Format::Json => {
            let _ = report::write_json_report(snapshot, analysis, &args.selection.ignore, &mut *out);
            let _ = writeln!(out);
        }
        Format::Human => {
            let _ = write!(out, "{}", report::human_report(snapshot, analysis, &args.selection.ignore, options));
        }
        Format::Sarif => {
            let log = crate::sarif::sarif_log(snapshot, analysis, &args.selection.ignore);
            let _ = serde_json::to_writer_pretty(&mut *out, &log);
            let _ = writeln!(out);
        }
        Format::Mermaid => {
            let _ =
                write!(out, "{}", crate::pictures::mermaid::render(&crate::pictures::picture(snapshot, analysis, &args.selection.ignore)));
        }
        Format::Dot => {
            let _ = write!(out, "{}", crate::pictures::dot::render(&crate::pictures::picture(snapshot, analysis, &args.selection.ignore)));
        }
        Format::Html => {
            let _ = write!(out, "{}", crate::pictures::html::render(snapshot, analysis, &args.selection.ignore));
        }
    }
}
