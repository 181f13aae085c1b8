//! Maintainers' tasks: `cargo xtask regen | check`.

use std::path::PathBuf;
use std::process::ExitCode;

use errcat::regen;

const USAGE: &str = "usage: cargo xtask <command> [--root DIR]

commands:
  regen   rebuild generated/ from sources/
  check   fail if generated/ is not what regen would write

--root DIR  the dataset's root (holding sources/ and generated/); default: this workspace";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let root = match take_option(&mut args, "--root") {
        Ok(Some(dir)) => PathBuf::from(dir),
        Ok(None) => workspace_root(),
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen_task(&root),
        Some("check") => check_task(&root),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Removes `--name VALUE` from `args`.
fn take_option(args: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(at) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    if at + 1 >= args.len() {
        return Err(format!("{name} needs a value"));
    }
    let value = args.remove(at + 1);
    args.remove(at);
    Ok(Some(value))
}

/// The workspace root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn regen_task(root: &std::path::Path) -> anyhow::Result<ExitCode> {
    let files = regen::generate(root)?;
    let written = regen::write(root, &files)?;
    for path in &written.updated {
        println!("wrote generated/{path}");
    }
    for path in &written.removed {
        println!("removed generated/{path}");
    }
    if written.updated.is_empty() && written.removed.is_empty() {
        println!("generated/ is up to date ({} files)", files.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn check_task(root: &std::path::Path) -> anyhow::Result<ExitCode> {
    let files = regen::generate(root)?;
    let changes = regen::compare(root, &files);
    if changes.is_empty() {
        println!("generated/ is up to date ({} files)", files.len());
        return Ok(ExitCode::SUCCESS);
    }
    eprint!("{}", regen::describe(root, &files, &changes, 60));
    eprintln!("generated/ is stale: run `cargo xtask regen` and commit");
    Ok(ExitCode::FAILURE)
}
