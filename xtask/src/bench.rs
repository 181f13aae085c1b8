//! `cargo xtask bench [--scale N]`: one run over a generated corpus, printed as a
//! table and then one line of JSON. Each measurement runs in a child process of its
//! own, so that each peak RSS is that measurement's. Figures are measured, never
//! asserted: the machines are shared and noisy.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use errcat::catalog::{Catalog, CodeRecord, Context as CatalogContext};
use errcat::emit::{self, Versions};
use errcat::manifest::SourceEntry;
use errcat::model::{Condition, EntryKind, Format, Link, SourceRef};
use errcat::regen;
use serde::{Deserialize, Serialize};

use crate::corpus;

/// What one child process measured.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Stage {
    pub threads: usize,
    pub files: usize,
    pub bytes: u64,
    pub revisions: usize,
    pub entries: usize,
    /// CPU time spent ingesting each format, summed over sources (ms).
    pub ingest_ms: std::collections::BTreeMap<String, f64>,
    /// Wall times (ms).
    pub load_ms: f64,
    pub reconcile_ms: f64,
    pub diff_ms: f64,
    pub emit_ms: f64,
    pub total_ms: f64,
    pub output_bytes: u64,
    /// The size of `catalog.json`: what regen must hold, whatever the revisions.
    #[serde(default)]
    pub catalog_bytes: u64,
    pub peak_rss_kb: u64,
    /// The pipeline's only: the JSON bodies of every revision, the catalogue and the
    /// changelog serialised once more, on one thread, after `total_ms` is taken.
    /// With the bare parsers' time, a floor under any pipeline that writes them (ms).
    #[serde(default)]
    pub json_ms: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Starts this process's peak resident memory again from what is resident now, so
/// that a measurement's peak leaves out the set-up before it (Linux 4.0 and later).
/// What the set-up freed is given back to the system first, or it would count as
/// resident still.
fn reset_peak_rss() {
    regen::give_back_free_memory();
    let _ = fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The whole pipeline over a corpus: ingest → reconcile → diff → emit.
pub fn pipeline(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let start = Instant::now();
    let manifest = regen::read_manifest(corpus)?;
    let timed = errcat::parallel_map(&manifest.sources, threads, |entry| {
        let t = Instant::now();
        let bytes = fs::metadata(corpus.join("sources").join(&entry.file)).map_or(0, |m| m.len());
        let revision = regen::ingest_source(corpus, entry);
        (entry.format, t.elapsed(), bytes, revision)
    });
    let mut stage = Stage {
        threads,
        ..Stage::default()
    };
    let mut revisions = Vec::with_capacity(timed.len());
    for (format, took, bytes, revision) in timed {
        *stage
            .ingest_ms
            .entry(format.as_str().to_owned())
            .or_default() += ms(took);
        stage.bytes += bytes;
        revisions.push(revision?);
    }
    stage.load_ms = ms(start.elapsed());
    stage.files = revisions.len();
    stage.revisions = revisions.len();
    stage.entries = revisions.iter().map(|r| r.entries.len()).sum();
    let dataset = regen::Dataset {
        manifest,
        revisions,
    };
    let t = Instant::now();
    let catalog = dataset.catalog();
    stage.reconcile_ms = ms(t.elapsed());
    let t = Instant::now();
    let changelog = dataset.changelog(&catalog);
    stage.diff_ms = ms(t.elapsed());
    let t = Instant::now();
    let files = emit::outputs(&dataset.manifest, &dataset.revisions, &catalog, &changelog);
    stage.emit_ms = ms(t.elapsed());
    stage.output_bytes = files.values().map(|f| f.len() as u64).sum();
    stage.total_ms = ms(start.elapsed());
    stage.peak_rss_kb = peak_rss_kb();
    let t = Instant::now();
    let bodies = dataset
        .revisions
        .iter()
        .map(|r| emit::pretty(r).len())
        .sum::<usize>()
        + emit::pretty(&catalog).len()
        + emit::pretty(&changelog).len();
    std::hint::black_box(bodies);
    stage.json_ms = ms(t.elapsed());
    Ok(stage)
}

/// The same bytes through the bare parsers only: pulldown-cmark events, scraper
/// parse plus table-row select, line splitting for dumps.
pub fn baseline(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let start = Instant::now();
    let manifest = regen::read_manifest(corpus)?;
    let timed = errcat::parallel_map(&manifest.sources, threads, |entry: &SourceEntry| {
        let t = Instant::now();
        let text = fs::read_to_string(corpus.join("sources").join(&entry.file)).unwrap_or_default();
        let units = match entry.format {
            Format::Markdown => {
                let options = pulldown_cmark::Options::ENABLE_TABLES
                    | pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
                pulldown_cmark::Parser::new_ext(&text, options).count()
            }
            Format::Html => {
                let doc = scraper::Html::parse_document(&text);
                let rows = scraper::Selector::parse("table tr").map(|s| doc.select(&s).count());
                rows.unwrap_or(0)
            }
            Format::Legacy => text.lines().map(|l| l.split('|').count()).sum(),
        };
        (entry.format, t.elapsed(), text.len() as u64, units)
    });
    let mut stage = Stage {
        threads,
        ..Stage::default()
    };
    for (format, took, bytes, _) in timed {
        *stage
            .ingest_ms
            .entry(format.as_str().to_owned())
            .or_default() += ms(took);
        stage.bytes += bytes;
        stage.files += 1;
    }
    stage.total_ms = ms(start.elapsed());
    stage.peak_rss_kb = peak_rss_kb();
    Ok(stage)
}

/// Builds xtask with optimisations: measurements of a debug build mean nothing.
fn release_exe(workspace: &Path) -> anyhow::Result<std::path::PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(workspace)
        .status()?;
    if !status.success() {
        bail!("building xtask in release mode failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    Ok(target.join("release/xtask"))
}

/// One measurement: a mode over a corpus on some threads, in `copies` processes
/// at once (its figure is the slowest copy's).
struct Job<'a> {
    mode: &'static str,
    corpus: &'a Path,
    threads: usize,
    copies: usize,
}

/// Runs every measurement `runs` times, each run in a fresh process of the release
/// build, and keeps the fastest of each: on a shared machine the slower runs measure
/// the neighbours. The measurements take turns, round after round, so that the
/// figures a ratio compares met the same neighbours, not one quiet minute and one
/// busy one.
fn measure(exe: &Path, jobs: &[Job<'_>], runs: usize) -> anyhow::Result<Vec<Stage>> {
    let mut best: Vec<Option<Stage>> = jobs.iter().map(|_| None).collect();
    for _ in 0..runs.max(1) {
        for (job, best) in jobs.iter().zip(&mut best) {
            warm(job.corpus)?;
            let children = (0..job.copies.max(1))
                .map(|_| spawn_child(exe, job.mode, job.corpus, job.threads))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut stage: Option<Stage> = None;
            for child in children {
                let copy = child_stage(job.mode, child)?;
                if stage.as_ref().is_none_or(|s| copy.total_ms > s.total_ms) {
                    stage = Some(copy);
                }
            }
            let stage = stage.context("no run")?;
            if best.as_ref().is_none_or(|b| stage.total_ms < b.total_ms) {
                *best = Some(stage);
            }
        }
    }
    best.into_iter().map(|b| b.context("no run")).collect()
}

fn spawn_child(
    exe: &Path,
    mode: &str,
    corpus: &Path,
    threads: usize,
) -> anyhow::Result<std::process::Child> {
    Ok(Command::new(exe)
        .env("ERRCAT_THREADS", threads.to_string())
        .args([
            "bench-stage",
            "--mode",
            mode,
            "--threads",
            &threads.to_string(),
            "--corpus",
        ])
        .arg(corpus)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?)
}

fn child_stage(mode: &str, child: std::process::Child) -> anyhow::Result<Stage> {
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "bench-stage {mode} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let line = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(line.trim()).context("bench-stage output")
}

/// What the generated crate measured at scale.
#[derive(Debug, Default, Serialize)]
pub struct CrateFigures {
    pub codes: usize,
    pub release_build_s: f64,
    pub raw_text_bytes: u64,
    pub binary_growth_bytes: u64,
    pub binary_to_text: f64,
    pub lookup_median_ns: Vec<(String, f64)>,
}

pub struct Options {
    pub scale: usize,
    /// Runs of each measurement; the fastest is kept.
    pub runs: usize,
    pub crate_codes: usize,
    pub lookup_bench: bool,
}

pub fn run(workspace: &Path, options: &Options) -> anyhow::Result<()> {
    let dir = workspace.join("target/bench");
    fs::create_dir_all(&dir)?;
    let small = dir.join(format!("corpus-{}", options.scale));
    let big = dir.join(format!("corpus-{}", options.scale * 10));
    let deep = dir.join(format!("corpus-{}-deep", options.scale));
    let deeper = dir.join(format!("corpus-{}-deeper", options.scale));
    corpus::generate(workspace, options.scale, corpus::REVISIONS, &small)?;
    corpus::generate(workspace, options.scale * 10, corpus::REVISIONS, &big)?;
    corpus::generate(workspace, options.scale, corpus::REVISIONS * 10, &deep)?;
    corpus::generate(workspace, options.scale, corpus::REVISIONS * 30, &deeper)?;
    let asides = Asides(vec![
        small.clone(),
        big.clone(),
        deep.clone(),
        deeper.clone(),
    ]);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let exe = release_exe(workspace)?;
    let runs = options.runs;
    eprintln!("measuring the pipeline ({cores} cores, fastest of {runs} rounds)…");
    let job = |mode, corpus, threads| Job {
        mode,
        corpus,
        threads,
        copies: 1,
    };
    let jobs = [
        job("pipeline", &small, 1),
        job("pipeline", &small, cores),
        job("baseline", &small, 1),
        job("pipeline", &big, 1),
        job("pipeline", &big, cores),
        job("regen", &small, 1),
        job("regen", &small, cores),
        job("regen", &big, 1),
        job("regen", &big, cores),
        job("regen", &deep, 1),
        job("regen", &deep, cores),
        job("regen", &deeper, 1),
        job("regen", &deeper, cores),
        job("written", &small, 1),
        job("written", &small, cores),
        job("check", &small, 1),
        job("check", &small, cores),
        job("touched", &small, 1),
        job("touched", &small, cores),
        job("stale", &small, 1),
        job("stale", &small, cores),
        job("stale", &deeper, cores),
        // What the machine gives independent work on every core: the ceiling for
        // any speed-up measured here.
        Job {
            copies: cores,
            ..job("pipeline", &small, 1)
        },
    ];
    let stages = <[Stage; 23]>::try_from(measure(&exe, &jobs, runs)?)
        .map_err(|_| anyhow::anyhow!("a measurement is missing"))?;
    let [one, all, base, big_one, big_all, regen_one, regen_all, regen_big_one, regen_big, regen_deep_one, regen_deep, regen_deeper_one, regen_deeper, written_one, written_all, check_one, check_all, touched_one, touched_all, stale_one, stale_all, stale_deeper, side_by_side] =
        stages;
    eprintln!(
        "measuring the generated crate at {} codes…",
        options.crate_codes
    );
    let krate = crate_at_scale(&dir, options.crate_codes, options.lookup_bench)?;

    let mb = one.bytes as f64 / 1e6;
    let rate = |ms: f64| if ms > 0.0 { mb / (ms / 1000.0) } else { 0.0 };
    println!(
        "corpus, scale {}: {} files, {:.2} MB, {} revisions, {} entries",
        options.scale, one.files, mb, one.revisions, one.entries
    );
    println!(
        "corpus, scale {}: {} files, {:.2} MB, {} entries",
        options.scale * 10,
        big_one.files,
        big_one.bytes as f64 / 1e6,
        big_one.entries
    );
    println!();
    println!(
        "{:<44} {:>10} {:>10}",
        "stage (scale 1×, 1 thread)", "ms", "MB/s"
    );
    for (format, t) in &one.ingest_ms {
        let bytes = format_bytes(&small, format);
        println!(
            "{:<44} {:>10.1} {:>10.1}",
            format!("ingest {format} (cpu)"),
            t,
            bytes / 1e6 / (t / 1000.0).max(1e-9)
        );
    }
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "ingest, all formats (wall)",
        one.load_ms,
        rate(one.load_ms)
    );
    println!("{:<44} {:>10.1}", "reconcile (catalogue)", one.reconcile_ms);
    println!("{:<44} {:>10.1}", "diff (changelog)", one.diff_ms);
    println!("{:<44} {:>10.1}", "emit", one.emit_ms);
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "end to end, 1 thread",
        one.total_ms,
        rate(one.total_ms)
    );
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        format!("end to end, {cores} threads"),
        all.total_ms,
        rate(all.total_ms)
    );
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "baseline: bare parsers, 1 thread",
        base.total_ms,
        rate(base.total_ms)
    );
    for (format, t) in &base.ingest_ms {
        println!("{:<44} {:>10.1}", format!("  baseline {format} (cpu)"), t);
    }
    let floor_ms = base.total_ms + one.json_ms;
    println!(
        "{:<44} {:>10.1} {:>10.1}",
        "floor: bare parsers + the JSON bodies alone",
        floor_ms,
        rate(floor_ms)
    );
    println!("{:<44} {:>10.1}", "  the JSON bodies alone", one.json_ms);
    let throughput_ratio = base.total_ms / one.total_ms.max(1e-9);
    let floor_ratio = base.total_ms / floor_ms.max(1e-9);
    let speedup = one.total_ms / all.total_ms.max(1e-9);
    let ceiling = cores as f64 * one.total_ms / side_by_side.total_ms.max(1e-9);
    let scale_ratio = big_one.total_ms / one.total_ms.max(1e-9);
    println!();
    println!(
        "{:<44} {:>10.2}",
        "pipeline throughput / baseline throughput", throughput_ratio
    );
    println!(
        "{:<44} {:>10.2}",
        "floor throughput / baseline throughput", floor_ratio
    );
    println!(
        "{:<44} {:>10.2}",
        format!("speed-up, {cores} threads over 1"),
        speedup
    );
    println!(
        "{:<44} {:>10.1}",
        format!("{cores} 1-thread pipelines at once, slowest"),
        side_by_side.total_ms
    );
    println!(
        "{:<44} {:>10.2}",
        format!("ceiling: {cores} × 1-thread time / that"),
        ceiling
    );
    println!(
        "{:<44} {:>10.2}",
        "time at 10× scale / time at 1× (1 thread)", scale_ratio
    );
    println!(
        "{:<44} {:>10.2}",
        format!("time at 10× scale / time at 1× ({cores} threads)"),
        big_all.total_ms / all.total_ms.max(1e-9)
    );
    println!(
        "{:<44} {:>10}",
        "peak RSS at 1×, in memory (KiB)", one.peak_rss_kb
    );
    println!(
        "{:<44} {:>10}",
        "peak RSS at 10×, in memory (KiB)", big_one.peak_rss_kb
    );
    println!();
    println!("regen streamed through a cold cache, into a sink that only reads:");
    let row = |label: String, stage: &Stage| {
        println!(
            "{label:<44} {:>10.1} {:>10.1}",
            stage.total_ms,
            rate(stage.total_ms)
        );
    };
    row("1×, 1 thread".to_owned(), &regen_one);
    row(format!("1×, {cores} threads"), &regen_all);
    println!(
        "{:<44} {:>10.2}",
        "speed-up",
        regen_one.total_ms / regen_all.total_ms.max(1e-9)
    );
    // Each scale at 1 thread and at all, against 1× at as many.
    for (label, at_one, at_all) in [
        ("10× documents", &regen_big_one, &regen_big),
        ("10× revisions", &regen_deep_one, &regen_deep),
        ("30× revisions", &regen_deeper_one, &regen_deeper),
    ] {
        for (on, stage, base) in [
            ("1 thread".to_owned(), at_one, &regen_one),
            (format!("{cores} threads"), at_all, &regen_all),
        ] {
            println!("{:<44} {:>10.1}", format!("{label}, {on}"), stage.total_ms);
            println!(
                "{:<44} {:>10.2}",
                format!("  time / time at 1× ({on})"),
                stage.total_ms / base.total_ms.max(1e-9)
            );
        }
    }
    println!("peak RSS / catalog.json (KiB):");
    for (label, stage) in [
        ("1×, 1 thread", &regen_one),
        ("10× documents, 1 thread", &regen_big_one),
        ("10× revisions, 1 thread", &regen_deep_one),
        ("30× revisions, 1 thread", &regen_deeper_one),
        (&*format!("1×, {cores} threads"), &regen_all),
        (&*format!("10× documents, {cores} threads"), &regen_big),
        (&*format!("10× revisions, {cores} threads"), &regen_deep),
        (&*format!("30× revisions, {cores} threads"), &regen_deeper),
    ] {
        println!(
            "{:<44} {:>10} {:>10}",
            format!("  {label}"),
            stage.peak_rss_kb,
            stage.catalog_bytes / 1024
        );
    }
    // A measurement at 1 thread and at all, under its title, with one ratio.
    let both = |title: &str, one: &Stage, all: &Stage, ratio: (&str, f64)| {
        println!();
        println!("{title}");
        row("1×, 1 thread".to_owned(), one);
        row(format!("1×, {cores} threads"), all);
        println!("{:<44} {:>10.2}", ratio.0, ratio.1);
    };
    both(
        "`cargo xtask regen` on a fresh clone (no cache, writes every file):",
        &written_one,
        &written_all,
        (
            "speed-up",
            written_one.total_ms / written_all.total_ms.max(1e-9),
        ),
    );
    both(
        "`cargo xtask check` on the tree regen just wrote:",
        &check_one,
        &check_all,
        (
            "check throughput / baseline (1 thread)",
            base.total_ms / check_one.total_ms.max(1e-9),
        ),
    );
    both(
        "`cargo xtask regen` after one source changed (warm cache, writes all):",
        &touched_one,
        &touched_all,
        (
            "time / cold regen's (1 thread)",
            touched_one.total_ms / regen_one.total_ms.max(1e-9),
        ),
    );
    both(
        "`cargo xtask check` after one source changed (every file stale):",
        &stale_one,
        &stale_all,
        (
            "time / cold regen's (1 thread)",
            stale_one.total_ms / regen_one.total_ms.max(1e-9),
        ),
    );
    println!(
        "{:<44} {:>10.1}",
        format!("30× revisions, {cores} threads"),
        stale_deeper.total_ms
    );
    println!("peak RSS (KiB):");
    for (label, stage) in [
        ("1×, 1 thread", &stale_one),
        (&*format!("1×, {cores} threads"), &stale_all),
        (&*format!("30× revisions, {cores} threads"), &stale_deeper),
    ] {
        println!("{:<44} {:>10}", format!("  {label}"), stage.peak_rss_kb);
    }
    println!();
    println!("generated crate, {} codes:", krate.codes);
    println!(
        "{:<44} {:>10.2}",
        "clean release build (s)", krate.release_build_s
    );
    println!("{:<44} {:>10}", "raw text (bytes)", krate.raw_text_bytes);
    println!(
        "{:<44} {:>10}",
        "binary growth (bytes)", krate.binary_growth_bytes
    );
    println!(
        "{:<44} {:>10.2}",
        "binary growth / raw text", krate.binary_to_text
    );
    for (spelling, ns) in &krate.lookup_median_ns {
        println!(
            "{:<44} {:>10.1}",
            format!("lookup {spelling} median (ns)"),
            ns
        );
    }
    let json = serde_json::json!({
        "scale": options.scale,
        "cores": cores,
        "corpus": { "files": one.files, "bytes": one.bytes, "revisions": one.revisions, "entries": one.entries },
        "one_thread": one,
        "all_threads": all,
        "baseline": base,
        "scale_10x_one_thread": big_one,
        "scale_10x_all_threads": big_all,
        "regen_one_thread": regen_one,
        "regen_all_threads": regen_all,
        "regen_10x_one_thread": regen_big_one,
        "regen_10x_all_threads": regen_big,
        "regen_10x_revisions_one_thread": regen_deep_one,
        "regen_10x_revisions": regen_deep,
        "regen_30x_revisions_one_thread": regen_deeper_one,
        "regen_30x_revisions": regen_deeper,
        "written_one_thread": written_one,
        "written_all_threads": written_all,
        "check_one_thread": check_one,
        "check_all_threads": check_all,
        "touched_one_thread": touched_one,
        "touched_all_threads": touched_all,
        "stale_check_one_thread": stale_one,
        "stale_check_all_threads": stale_all,
        "stale_check_30x_revisions": stale_deeper,
        "one_thread_side_by_side": side_by_side,
        "throughput_vs_baseline": throughput_ratio,
        "floor_vs_baseline": floor_ratio,
        "speedup": speedup,
        "speedup_ceiling": ceiling,
        "scale_10x_time_ratio": scale_ratio,
        "crate": krate,
    });
    println!("{json}");
    asides.remove()
}

fn format_bytes(corpus: &Path, format: &str) -> f64 {
    regen::read_manifest(corpus)
        .map(|m| {
            let files = m
                .sources
                .iter()
                .filter(|s| s.format.as_str() == format)
                .map(|s| s.file.as_str());
            files_size(&corpus.join("sources"), files) as f64
        })
        .unwrap_or(0.0)
}

/// The bytes of `files`, paths under `dir`; a file that cannot be read counts none.
fn files_size<'a>(dir: &Path, files: impl IntoIterator<Item = &'a str>) -> u64 {
    files
        .into_iter()
        .filter_map(|file| fs::metadata(dir.join(file)).ok())
        .map(|m| m.len())
        .sum()
}

/// A catalogue of `n` synthetic codes, with text like the pages': shared
/// mitigations, causes that are mostly unique, names, string codes, links.
fn synthetic(n: usize) -> (Catalog, u64) {
    const SENTENCES: &[&str] = &[
        "Sign out and then sign in again.",
        "Unjoin the device from Microsoft Entra ID and rejoin.",
        "Ensure network connectivity to the required Microsoft resources.",
        "Check the Federation Server settings and look for the server error code in the authentication logs.",
        "Reboot the device. If the error occurs again after rebooting, reset the TPM.",
        "Contact support with the steps that led to the error and your tenant information.",
    ];
    let mut raw = 0u64;
    let mut codes = Vec::with_capacity(n);
    for i in 0..n {
        let value = 0x8000_0000u32.wrapping_add((i as u32).wrapping_mul(2_654_435_761) >> 1);
        let string_code = i % 10 == 9;
        // Half the string codes are the sign-in service's, which its number alone finds.
        let code = if string_code && i % 20 == 19 {
            format!("AADSTS{}", 500_000 + i)
        } else if string_code {
            format!("SynthError{i}")
        } else {
            format!("0x{value:08X}")
        };
        let names = if i % 2 == 0 {
            vec![format!("SYNTH_E_COMPONENT_{i:05}_FAILURE")]
        } else {
            Vec::new()
        };
        let condition = Condition {
            causes: vec![format!(
                "The component {i} could not complete the operation because its configuration was not valid."
            )],
            message: (i % 3 == 0).then(|| format!("Operation {i} failed.")),
            mitigation: Some(SENTENCES[i % SENTENCES.len()].to_owned()),
            links: if i % 4 == 0 {
                vec![Link {
                    text: "Network connectivity requirements".to_owned(),
                    url: "/entra/identity/devices/how-to-hybrid-join#prerequisites".to_owned(),
                }]
            } else {
                Vec::new()
            },
            source: SourceRef {
                file: format!("sources/synthetic-{}/r1.en-us.md", i % 100),
                line: 10 + i % 400,
            },
        };
        let context = CatalogContext {
            document: format!("synthetic-{}", i % 100),
            locale: "en-us".to_owned(),
            section: vec!["Troubleshoot".to_owned(), format!("Phase {}", i % 7)],
            kind: EntryKind::Error,
            names: names.clone(),
            revision: "r1".to_owned(),
            first_seen: "r1".to_owned(),
            last_changed: "r1".to_owned(),
            withdrawn_in: None,
            conditions: vec![condition],
        };
        raw += code.len() as u64 + names.iter().map(|n| n.len() as u64).sum::<u64>();
        for c in &context.conditions {
            raw += c.causes.iter().map(|s| s.len() as u64).sum::<u64>()
                + c.message.as_ref().map_or(0, |m| m.len() as u64)
                + c.mitigation.as_ref().map_or(0, |m| m.len() as u64)
                + c.links
                    .iter()
                    .map(|l| (l.text.len() + l.url.len()) as u64)
                    .sum::<u64>()
                + c.source.file.len() as u64;
        }
        raw += (context.document.len() + context.locale.len() + context.revision.len() * 3) as u64
            + context.section.iter().map(|s| s.len() as u64).sum::<u64>();
        codes.push(CodeRecord {
            value: (!string_code).then_some(value),
            code,
            names,
            contexts: vec![context],
        });
    }
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    codes.dedup_by(|a, b| a.code == b.code);
    (
        Catalog {
            codes,
            conflicts: Vec::new(),
        },
        raw,
    )
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text).with_context(|| path.display().to_string())
}

/// Generates the crate from `n` synthetic codes and measures its build, its size
/// and its lookups.
fn crate_at_scale(dir: &Path, n: usize, lookup_bench: bool) -> anyhow::Result<CrateFigures> {
    let (catalog, raw) = synthetic(n);
    let versions = Versions {
        schema: errcat::SCHEMA_VERSION.to_owned(),
        dataset: "synthetic".to_owned(),
        source_digest: "0".repeat(64),
        generator: "errcat bench".to_owned(),
    };
    let ws = dir.join(format!("crate-{n}"));
    let krate = ws.join("errcat-codes");
    write(&ws.join("Cargo.toml"), "[workspace]\nmembers = [\"errcat-codes\", \"probe\", \"lookup-bench\"]\nresolver = \"2\"\n\n[profile.release]\nstrip = true\n")?;
    write(&krate.join("Cargo.toml"), &emit::codes::cargo_toml())?;
    write(&krate.join("README.md"), "synthetic\n")?;
    write(&krate.join("src/lib.rs"), &emit::codes::lib_rs())?;
    write(&krate.join("src/names.rs"), &emit::codes::names_rs())?;
    write(
        &krate.join("src/data.rs"),
        &emit::codes::data_rs(&catalog, &versions),
    )?;
    write(&ws.join("probe/Cargo.toml"), "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[features]\ndata = [\"dep:errcat-codes\"]\n\n[dependencies]\nerrcat-codes = { path = \"../errcat-codes\", optional = true }\n")?;
    write(
        &ws.join("probe/src/main.rs"),
        "fn main() {\n    let spelling = std::env::args().nth(1).unwrap_or_default();\n    #[cfg(feature = \"data\")]\n    {\n        let total: usize = errcat_codes::codes().flat_map(|c| c.contexts()).flat_map(|c| c.conditions()).map(|c| c.causes().map(str::len).sum::<usize>() + c.mitigation().map_or(0, str::len) + c.message().map_or(0, str::len) + c.links().map(|l| l.url.len() + l.text.len()).sum::<usize>() + c.source_file().len()).sum();\n        println!(\"{} {total}\", errcat_codes::lookup(&spelling).is_some());\n    }\n    #[cfg(not(feature = \"data\"))]\n    println!(\"{} 0\", spelling.len());\n}\n",
    )?;
    // A code whose hex has a letter, so that its lower- and upper-case spellings
    // differ and divan reports them as two rows.
    let hex_code = catalog
        .codes
        .iter()
        .find(|c| c.value.is_some() && c.code[2..].bytes().any(|b| b.is_ascii_alphabetic()))
        .or_else(|| catalog.codes.iter().find(|c| c.value.is_some()));
    let first_hex = hex_code.map(|c| c.code.clone()).unwrap_or_default();
    let value = hex_code.and_then(|c| c.value).unwrap_or(0);
    let named = catalog
        .codes
        .iter()
        .find(|c| !c.names.is_empty())
        .map(|c| c.names[0].clone())
        .unwrap_or_default();
    let string = catalog
        .codes
        .iter()
        .find(|c| c.value.is_none())
        .map(|c| c.code.clone())
        .unwrap_or_default();
    let sign_in = catalog
        .codes
        .iter()
        .find_map(|c| c.code.strip_prefix("AADSTS"))
        .unwrap_or_default()
        .to_owned();
    let spellings = [
        ("hex", first_hex.to_ascii_lowercase()),
        ("HEX", first_hex.clone()),
        ("bare hex", first_hex.trim_start_matches("0x").to_owned()),
        ("signed decimal", (value as i32).to_string()),
        ("unsigned decimal", value.to_string()),
        ("name", named.clone()),
        ("name, lower case", named.to_ascii_lowercase()),
        ("string code", string.clone()),
        ("sign-in number", sign_in),
        ("unknown", "0x00000001".to_owned()),
        // Read as a decimal, as hex, then as a sign-in number: the longest miss.
        ("unknown number", "12345678".to_owned()),
    ];
    let mut distinct: Vec<&str> = spellings.iter().map(|(_, s)| s.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != spellings.len() {
        bail!(
            "two lookup spellings coincide, so divan's rows could not be told apart: {spellings:?}"
        );
    }
    let args: Vec<String> = spellings.iter().map(|(_, s)| format!("{s:?}")).collect();
    write(&ws.join("lookup-bench/Cargo.toml"), "[package]\nname = \"lookup-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nerrcat-codes = { path = \"../errcat-codes\" }\n\n[dev-dependencies]\ndivan = \"0.1\"\n\n[[bench]]\nname = \"lookup\"\nharness = false\n")?;
    write(&ws.join("lookup-bench/src/lib.rs"), "")?;
    // Fixed sample sizes: left to calibrate, divan settles on one call per sample
    // when the first call is slow (the tables are still cold), and its 20 ns timer
    // then quantises the median to whole steps of timer overhead.
    write(
        &ws.join("lookup-bench/benches/lookup.rs"),
        &format!(
            "fn main() {{ divan::main(); }}\n\n#[divan::bench(sample_count = 200, sample_size = 10_000, args = [{}])]\nfn lookup(spelling: &str) -> Option<errcat_codes::Code> {{\n    errcat_codes::lookup(divan::black_box(spelling))\n}}\n",
            args.join(", ")
        ),
    )?;
    let target = ws.join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let cargo_in = |args: &[&str]| {
        Command::new(&cargo)
            .args(args)
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", &target)
            .output()
    };
    let _ = fs::remove_dir_all(target.join("release"));
    let t = Instant::now();
    let out = cargo_in(&["build", "--release", "--quiet", "-p", "errcat-codes"])?;
    let release_build_s = t.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!(
            "building the crate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let size_of = |features: &[&str]| -> anyhow::Result<u64> {
        let mut args = vec!["build", "--release", "--quiet", "-p", "probe"];
        args.extend_from_slice(features);
        let out = cargo_in(&args)?;
        if !out.status.success() {
            bail!(
                "building the probe failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(fs::metadata(target.join("release/probe"))?.len())
    };
    let without = size_of(&[])?;
    let with = size_of(&["--features", "data"])?;
    let growth = with.saturating_sub(without);
    // Each spelling times what its label says: a code found, or for the unknown
    // ones, none.
    for (label, spelling) in &spellings {
        let out = Command::new(target.join("release/probe"))
            .arg(spelling)
            .output()?;
        let found = String::from_utf8_lossy(&out.stdout).starts_with("true ");
        if found == label.starts_with("unknown") {
            bail!("looking up the {label} spelling {spelling:?} found {found}");
        }
    }
    let mut medians = Vec::new();
    if lookup_bench {
        let out = cargo_in(&["bench", "--quiet", "-p", "lookup-bench"])?;
        if !out.status.success() {
            bail!(
                "the lookup bench failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        for (label, spelling) in &spellings {
            let row = |l: &&str| {
                l.trim_start_matches(|c: char| c.is_whitespace() || "├╰─│".contains(c))
                    .split_whitespace()
                    .next()
                    == Some(spelling.as_str())
            };
            if let Some(line) = text.lines().find(row) {
                if let Some(median) = median_ns(line) {
                    medians.push(((*label).to_owned(), median));
                }
            }
        }
    }
    Ok(CrateFigures {
        codes: catalog.codes.len(),
        release_build_s,
        raw_text_bytes: raw,
        binary_growth_bytes: growth,
        binary_to_text: growth as f64 / raw.max(1) as f64,
        lookup_median_ns: medians,
    })
}

/// The median column of a divan row: `name  fastest │ slowest │ median │ mean │ …`.
fn median_ns(line: &str) -> Option<f64> {
    let columns: Vec<&str> = line.split('│').collect();
    let cell = columns.get(2)?.trim();
    let (number, unit) = cell.split_at(cell.find(|c: char| c.is_alphabetic() || c == 'µ')?);
    let number: f64 = number.trim().parse().ok()?;
    Some(match unit.trim() {
        "ps" => number / 1000.0,
        "ns" => number,
        "µs" | "us" => number * 1000.0,
        "ms" => number * 1e6,
        "s" => number * 1e9,
        _ => return None,
    })
}

/// Counts what regen would write, keeping none of it.
#[derive(Default)]
struct Discard {
    bytes: AtomicU64,
    catalog: AtomicU64,
}

impl regen::Sink for Discard {
    fn file(&self, path: String, contents: String) -> Result<(), regen::RegenError> {
        self.file_from(path, &mut contents.as_bytes())
    }

    fn file_from(
        &self,
        path: String,
        contents: &mut dyn std::io::Read,
    ) -> Result<(), regen::RegenError> {
        let n = std::io::copy(contents, &mut std::io::sink()).map_err(|source| {
            regen::RegenError::Io {
                path: std::path::PathBuf::from(&path),
                source,
            }
        })?;
        self.bytes.fetch_add(n, Ordering::Relaxed);
        if path == "catalog.json" {
            self.catalog.store(n, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Where a measurement puts, instead of deleting it, what it needs out of the way
/// (the cache before a cold regen, the copy a touched regen worked on). `cargo xtask
/// bench` removes it when every measurement is done, or when one fails ([`Asides`]);
/// a measurement run by hand (`xtask bench-stage`) leaves it for the next bench.
/// Without a journal, ext4 does not reuse an inode for a minute after it was freed
/// (six while its block of the inode table is unwritten), and passes over each such
/// inode every time it creates a file: deleting the 1,100 packs of a scale-100 cache
/// just before a cold regen made each pack that regen created cost in proportion to
/// them.
fn aside(corpus: &Path) -> PathBuf {
    corpus.join("target/bench-aside")
}

/// What the measurements put aside under each corpus, removed once every
/// measurement is done, and however the bench ends: a bench that fails leaves no
/// gigabytes of caches behind.
struct Asides(Vec<PathBuf>);

impl Asides {
    fn remove(mut self) -> anyhow::Result<()> {
        for corpus in std::mem::take(&mut self.0) {
            remove_aside(&corpus).with_context(|| aside(&corpus).display().to_string())?;
        }
        Ok(())
    }
}

impl Drop for Asides {
    fn drop(&mut self) {
        for corpus in &self.0 {
            let _ = remove_aside(corpus);
        }
    }
}

fn remove_aside(corpus: &Path) -> std::io::Result<()> {
    fs::remove_dir_all(aside(corpus)).or_else(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(e),
    })
}

/// A new, empty directory under [`aside`].
fn new_aside(corpus: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let dir = aside(corpus);
    fs::create_dir_all(&dir)?;
    Ok(tempfile::Builder::new()
        .prefix(what)
        .tempdir_in(dir)?
        .keep())
}

/// A new folder aside with a copy of the corpus's sources and nothing else: no
/// cache and no `generated/`.
fn sources_aside(corpus: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let root = new_aside(corpus, what)?;
    copy_tree(&corpus.join("sources"), &root.join("sources"))?;
    Ok(root)
}

/// Regen's pipeline as `cargo xtask regen` streams it, through a cold cache, into a
/// sink that reads every byte and writes none: [`written_regen`] adds the writing.
pub fn streamed(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let cache = corpus.join(regen::CACHE_DIR);
    if cache.exists() {
        fs::rename(&cache, new_aside(corpus, "cache")?.join("cache"))?;
    }
    let start = Instant::now();
    let sink = Discard::default();
    regen::stream(
        corpus,
        regen::LoadOptions {
            threads,
            cache: true,
        },
        &sink,
    )?;
    let total_ms = ms(start.elapsed());
    // Before the manifest is read again to count the sources: that read is the
    // bench's, and holds every entry.
    let peak_rss_kb = peak_rss_kb();
    let manifest = regen::read_manifest(corpus)?;
    Ok(Stage {
        threads,
        files: manifest.sources.len(),
        revisions: manifest.sources.len(),
        bytes: files_size(
            &corpus.join("sources"),
            manifest.sources.iter().map(|s| s.file.as_str()),
        ),
        total_ms,
        output_bytes: sink.bytes.into_inner(),
        catalog_bytes: sink.catalog.into_inner(),
        peak_rss_kb,
        ..Stage::default()
    })
}

/// `cargo xtask regen` as on a fresh clone: no cache and no `generated/`, so every
/// file is staged beside its target, renamed into place and recorded. The streamed
/// measurement hands the same files to a sink that only reads them. Copying the
/// sources is set-up.
pub fn written_regen(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let root = sources_aside(corpus, "written")?;
    reset_peak_rss();
    let start = Instant::now();
    let written = regen::regen(&root)?;
    let total_ms = ms(start.elapsed());
    let peak_rss_kb = peak_rss_kb();
    let manifest = regen::read_manifest(&root)?;
    if written.files <= manifest.sources.len() {
        bail!(
            "regen wrote {} files for {} sources",
            written.files,
            manifest.sources.len()
        );
    }
    Ok(Stage {
        threads,
        files: manifest.sources.len(),
        revisions: manifest.sources.len(),
        total_ms,
        output_bytes: written.bytes,
        peak_rss_kb,
        ..Stage::default()
    })
}

/// `cargo xtask check` on a tree regen has just written: what a maintainer's next
/// check costs when nothing changed. The regen before it is not timed.
pub fn unchanged_check(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    regen::regen(corpus)?;
    reset_peak_rss();
    let start = Instant::now();
    let report = regen::check(corpus)?;
    let total_ms = ms(start.elapsed());
    // Read before the bench's own read of the manifest below.
    let peak_rss_kb = peak_rss_kb();
    if !report.is_empty() {
        bail!(
            "check found {} files stale right after regen",
            report.differing
        );
    }
    let manifest = regen::read_manifest(corpus)?;
    Ok(Stage {
        threads,
        files: manifest.sources.len(),
        revisions: manifest.sources.len(),
        total_ms,
        peak_rss_kb,
        ..Stage::default()
    })
}

/// A copy of the corpus that regen has written, then one source changed as a fetch
/// would leave it: its root and its number of sources. The changed source is the
/// newest revision of the first chain, now with the bytes of the revision before it,
/// so the data changes and every generated file, which carries the dataset version,
/// is stale. Copying, the regen and the manifest's edit are set-up: the peak
/// resident memory starts again once they are done and the parsed manifest is freed.
fn changed_copy(corpus: &Path, what: &str) -> anyhow::Result<(PathBuf, usize)> {
    let root = sources_aside(corpus, what)?;
    regen::regen(&root)?;
    let mut manifest = regen::read_manifest(&root)?;
    let sources = &manifest.sources;
    let (older, newer) = (1..sources.len())
        .map(|i| (i - 1, i))
        .take_while(|&(a, b)| {
            (&sources[a].document, &sources[a].locale) == (&sources[b].document, &sources[b].locale)
        })
        .last()
        .context("the corpus's first chain has one revision")?;
    let source = |i: usize| root.join("sources").join(&manifest.sources[i].file);
    fs::copy(source(older), source(newer))?;
    manifest.sources[newer].sha256 = manifest.sources[older].sha256.clone();
    fs::write(
        root.join("sources").join(errcat::manifest::FILE_NAME),
        manifest.to_yaml(),
    )?;
    let sources = manifest.sources.len();
    drop(manifest);
    reset_peak_rss();
    Ok((root, sources))
}

/// `cargo xtask regen` after one source changed, with the ingest cache holding
/// every other revision: what "skip what did not change" leaves to do. It ingests
/// and folds again only the changed source's chain, and writes every file.
pub fn touched_regen(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let (root, sources) = changed_copy(corpus, "touched")?;
    let start = Instant::now();
    let written = regen::regen(&root)?;
    let total_ms = ms(start.elapsed());
    if written.files == 0 {
        bail!("regen wrote nothing after a source changed");
    }
    Ok(Stage {
        threads,
        files: sources,
        revisions: sources,
        total_ms,
        output_bytes: written.bytes,
        peak_rss_kb: peak_rss_kb(),
        ..Stage::default()
    })
}

/// `cargo xtask check` after one source changed, when every generated file is stale.
pub fn stale_check(corpus: &Path, threads: usize) -> anyhow::Result<Stage> {
    let (root, sources) = changed_copy(corpus, "stale")?;
    let start = Instant::now();
    let report = regen::check(&root)?;
    let total_ms = ms(start.elapsed());
    if report.differing < sources {
        bail!(
            "check found {} files stale of {} sources after one changed",
            report.differing,
            sources
        );
    }
    Ok(Stage {
        threads,
        files: sources,
        revisions: sources,
        total_ms,
        peak_rss_kb: peak_rss_kb(),
        ..Stage::default()
    })
}

/// Reads every file of a corpus's sources and generated output just before it is
/// measured, so that the measurement finds them in the page cache. Some machines
/// drop it within seconds (BENCHMARKS.md, "Machine"), and each run would then read
/// most files from the disk: the figures would measure the disk, as unevenly as
/// the moment each run met it, and not the pipeline.
fn warm(corpus: &Path) -> anyhow::Result<()> {
    fn read_all(dir: &Path) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                read_all(&entry.path())?;
            } else {
                io::copy(&mut fs::File::open(entry.path())?, &mut io::sink())?;
            }
        }
        Ok(())
    }
    for dir in ["sources", "generated"] {
        let dir = corpus.join(dir);
        if dir.is_dir() {
            read_all(&dir).with_context(|| format!("reading {}", dir.display()))?;
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The child side of a measurement.
pub fn stage(mode: &str, corpus: &Path, threads: usize) -> anyhow::Result<()> {
    let stage = match mode {
        "pipeline" => pipeline(corpus, threads)?,
        "baseline" => baseline(corpus, threads)?,
        "regen" => streamed(corpus, threads)?,
        "written" => written_regen(corpus, threads)?,
        "check" => unchanged_check(corpus, threads)?,
        "touched" => touched_regen(corpus, threads)?,
        "stale" => stale_check(corpus, threads)?,
        other => bail!("unknown mode {other}"),
    };
    println!("{}", serde_json::to_string(&stage)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cold_regen_puts_the_cache_it_found_aside_instead_of_deleting_it() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path();
        corpus::generate(workspace, 1, 2, corpus).unwrap();
        let packs = |dir: &Path| {
            let mut names: Vec<_> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        streamed(corpus, 1).unwrap();
        let cache = corpus.join(regen::CACHE_DIR);
        let first = packs(&cache);
        assert!(!first.is_empty());
        streamed(corpus, 1).unwrap();
        // The second run found the first one's cache and left it whole, aside.
        let aside: Vec<PathBuf> = fs::read_dir(aside(corpus))
            .unwrap()
            .map(|e| e.unwrap().path().join("cache"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(packs(&aside[0]), first);
        assert_eq!(packs(&cache), first);
    }

    #[test]
    fn what_was_put_aside_goes_however_the_bench_ends() {
        let dir = tempfile::tempdir().unwrap();
        let corpora: Vec<PathBuf> = ["a", "b", "c"].map(|c| dir.path().join(c)).into();
        let put_aside = |corpus: &Path| {
            let cache = new_aside(corpus, "cache").unwrap().join("cache");
            fs::create_dir_all(&cache).unwrap();
            fs::write(cache.join("pack"), "bytes").unwrap();
        };
        // A bench that fails half-way, with nothing put aside under the last corpus.
        let failing = || -> anyhow::Result<()> {
            let _asides = Asides(corpora.clone());
            put_aside(&corpora[0]);
            put_aside(&corpora[1]);
            anyhow::bail!("a measurement failed")
        };
        assert!(failing().is_err());
        for corpus in &corpora {
            assert!(!aside(corpus).exists(), "{}", corpus.display());
        }
        // One that ends well, the same.
        put_aside(&corpora[2]);
        Asides(corpora.clone()).remove().unwrap();
        assert!(!aside(&corpora[2]).exists());
    }

    #[test]
    fn divan_medians_are_read() {
        let line = "├─ \"0x801c03ed\"   10.1 ns       │ 20.3 ns       │ 12.5 ns       │ 12.7 ns       │ 100     │ 51200";
        assert_eq!(median_ns(line), Some(12.5));
        let line = "╰─ \"x\"            1.2 µs        │ 3 µs          │ 1.5 µs        │ 1.6 µs        │ 100     │ 100";
        assert_eq!(median_ns(line), Some(1500.0));
    }
}
