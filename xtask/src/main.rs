//! Maintainers' tasks: `cargo xtask regen | check | fetch`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use errcat::regen;

mod bench;
mod corpus;
mod fetch;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "errcat's maintainer tasks",
    args_override_self = true
)]
struct Cli {
    /// The dataset's root, holding sources/ and generated/; default: this workspace.
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Rebuild generated/ from sources/.
    Regen,
    /// Fail if generated/ is not what regen would write.
    Check,
    /// Grow a large corpus, with its manifest, from the real sources.
    Corpus {
        /// Copies of each real page, each a document of its own.
        #[arg(long, default_value_t = 10, value_parser = at_least_one())]
        scale: usize,
        /// Revisions per document.
        #[arg(long, default_value_t = corpus::REVISIONS, value_parser = at_least_one())]
        revisions: usize,
        /// Where to write it (`OUT/sources/`). A corpus already there is brought up to
        /// date in place: files that hold what they should are left alone, and files
        /// under `OUT/sources/` that the corpus no longer has are removed.
        #[arg(long)]
        out: PathBuf,
    },
    /// Measure the pipeline against the bare parsers, across threads and scales,
    /// and the generated crate at scale. Prints a table, then one line of JSON.
    Bench {
        /// The corpus's scale (see `corpus`); the bench also measures ten times it.
        #[arg(long, default_value_t = 10, value_parser = at_least_one())]
        scale: usize,
        /// Codes in the synthetic catalogue the generated crate is measured on.
        #[arg(long, default_value_t = 50_000, value_parser = at_least_one())]
        crate_codes: usize,
        /// Skip the divan lookup benchmark (it builds divan).
        #[arg(long)]
        no_lookup_bench: bool,
        /// Rounds of the pipeline measurements, taken in turn; the fastest run of
        /// each is reported.
        #[arg(long, default_value_t = 3, value_parser = at_least_one())]
        runs: usize,
    },
    /// One measurement, run by `bench` in a process of its own.
    #[command(hide = true)]
    BenchStage {
        #[arg(long)]
        mode: String,
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long, value_parser = at_least_one())]
        threads: usize,
    },
    /// Refresh sources/ from the live pages the manifest names.
    Fetch {
        /// Only this document (repeatable).
        #[arg(long = "document")]
        documents: Vec<String>,
        /// Only this locale (repeatable).
        #[arg(long = "locale")]
        locales: Vec<String>,
        /// Fetch and judge, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Fetch every page from this mirror instead (also `ERRCAT_MIRROR`).
        #[arg(long)]
        base_url: Option<String>,
        /// Per-request timeout.
        #[arg(long, default_value_t = 30)]
        timeout_secs: u64,
        /// Attempts per page, for timeouts, 5xx and 429.
        #[arg(long, default_value_t = 4)]
        attempts: u32,
        /// First backoff; it doubles per attempt, plus jitter. `Retry-After` wins.
        #[arg(long, default_value_t = 500)]
        retry_base_ms: u64,
        /// Largest body accepted.
        #[arg(long, default_value_t = 8 << 20)]
        max_bytes: u64,
    },
}

/// A count of one or more: a corpus, a bench or a round of nothing measures nothing,
/// and is refused before any work starts.
fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

/// Fixes glibc's mmap threshold at its starting value, 128 KiB, and its trim
/// threshold at 1 MiB. Left to itself, glibc raises the mmap threshold to the size
/// of each large buffer freed, and the trim threshold to twice that: once a long
/// manifest's text is freed, every buffer up to its size comes from the heap, where
/// what is freed stays resident, and a regen's peak grew with its manifest, that is
/// with the number of revisions (BENCHMARKS.md). Fixed, each large buffer goes back
/// to the system when it is freed. A trim threshold of 128 KiB as well would give
/// the heaps back and fault them in again page by page, at about 5% of a regen's
/// time on two threads.
///
/// On more than one thread, each thread but the first allocates from a heap of
/// its own, which glibc makes writable a few pages at a time as it grows, one
/// `mprotect` call each: about 3,600 calls in a scale-10 pipeline on two threads.
/// A top pad of 32 MiB makes each such heap writable 32 MiB at once (address
/// space, not memory: pages become resident only when written), about 30 calls in
/// all, and two threads run the pipeline about 5% faster. The pad also keeps up to
/// that much of a heap's free top from being trimmed: a regen's peak on two
/// threads is about 2 MB higher, at any number of revisions, and as each thread's
/// heap keeps its own, the cost grows with the threads. One thread, whose
/// heap grows by `brk`, gains nothing from it, and its peak would grow with the
/// revisions: it goes without (BENCHMARKS.md).
fn fix_malloc_thresholds() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets parameters of the allocator, before any thread
    // has started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
        if errcat::threads() > 1 {
            libc::mallopt(libc::M_TOP_PAD, 32 << 20);
        }
    }
}

fn main() -> ExitCode {
    fix_malloc_thresholds();
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(workspace_root);
    let result = match cli.task {
        Task::Corpus {
            scale,
            revisions,
            out,
        } => corpus::generate(&root, scale, revisions, &out).map(|summary| {
            println!(
                "wrote {} files, {} bytes, and their manifest under {}",
                summary.files,
                summary.bytes,
                out.join("sources").display()
            );
            ExitCode::SUCCESS
        }),
        Task::Bench {
            scale,
            crate_codes,
            no_lookup_bench,
            runs,
        } => bench::run(
            &root,
            &bench::Options {
                scale,
                runs,
                crate_codes,
                lookup_bench: !no_lookup_bench,
            },
        )
        .map(|()| ExitCode::SUCCESS),
        Task::BenchStage {
            mode,
            corpus,
            threads,
        } => bench::stage(&mode, &corpus, threads).map(|()| ExitCode::SUCCESS),
        Task::Regen => regen_task(&root),
        Task::Check => check_task(&root),
        Task::Fetch {
            documents,
            locales,
            dry_run,
            base_url,
            timeout_secs,
            attempts,
            retry_base_ms,
            max_bytes,
        } => {
            let defaults = fetch::Options::default();
            let options = fetch::Options {
                documents,
                locales,
                dry_run,
                base_url: base_url.or(defaults.base_url),
                timeout: Duration::from_secs(timeout_secs),
                attempts,
                retry_base: Duration::from_millis(retry_base_ms),
                max_bytes,
            };
            fetch::run(&root, &options).map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", report(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, each cause once: the pipeline's errors
/// already end with their cause's text, which a context of ours does not.
fn report(error: &anyhow::Error) -> String {
    let mut line = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !line.ends_with(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    line
}

/// The workspace root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn regen_task(root: &Path) -> anyhow::Result<ExitCode> {
    let written = regen::regen(root)?;
    for path in &written.updated {
        println!("wrote generated/{path}");
    }
    if written.files > written.updated.len() {
        println!(
            "… and {} more files ({} files, {} bytes written in all)",
            written.files - written.updated.len(),
            written.files,
            written.bytes
        );
    }
    for path in &written.removed {
        println!("removed generated/{path}");
    }
    if written.files == 0 && written.removed.is_empty() {
        println!("generated/ is up to date");
    }
    Ok(ExitCode::SUCCESS)
}

fn check_task(root: &Path) -> anyhow::Result<ExitCode> {
    let report = regen::check(root)?;
    if report.is_empty() {
        println!("generated/ is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    eprint!("{}", regen::describe(root, &report, 60));
    eprintln!("generated/ is stale: run `cargo xtask regen` and commit");
    Ok(ExitCode::FAILURE)
}
