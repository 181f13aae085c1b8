//! The `errcat` command line: the edges of the pipeline, where files are read and
//! results printed.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use errcat::{Format, Source};

#[cfg(feature = "explain")]
mod explain;

#[derive(Parser)]
#[command(
    name = "errcat",
    version,
    about = "Reconciled catalogue of Microsoft identity error codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest source files and print one canonical JSON revision per file (JSON Lines).
    ///
    /// Diagnostics go to stderr as `file:line: kind: message`. A file that cannot be
    /// ingested is reported and skipped; the exit status is then 2.
    Ingest {
        /// The shape of the files; `auto` detects it from the name and content.
        #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
        format: FormatArg,
        /// Locale of the files (lower-case BCP 47, e.g. `ja-jp`); default: from the
        /// file name `<revision>.<locale>.<ext>`, else what the page declares, else `en-us`.
        #[arg(long)]
        locale: Option<String>,
        /// Document id; default: the folder of a `sources/<document>/…` path, else the file stem.
        #[arg(long)]
        document: Option<String>,
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Compare two source files, in any formats, and print what changed.
    ///
    /// Markdown by default; a coloured view with word highlights on a terminal.
    Diff {
        old: String,
        new: String,
        #[arg(long, value_enum)]
        format: Option<DiffFormat>,
        /// Exit 1 if changes of these kinds exist, e.g. `code-withdrawn,mitigation-changed`.
        #[arg(long, value_delimiter = ',')]
        fail_on: Vec<String>,
    },
    /// Write a self-contained HTML page for reviewers: changes between any two
    /// revisions side by side, each code's history, and the locale drift.
    Report {
        /// Where to write `index.html`.
        #[arg(long)]
        out: String,
        /// The dataset's root, holding `sources/manifest.yaml`.
        #[arg(long, default_value = ".")]
        root: String,
    },
    /// Find every error code in a text (dsregcmd output, an event log, a log line)
    /// and print what the catalogue knows of each.
    #[cfg(feature = "explain")]
    Explain {
        /// The text to read; `-` or nothing reads standard input.
        file: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
    Terminal,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Legacy,
    Markdown,
    Html,
}

impl FormatArg {
    fn format(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Legacy => Some(Format::Legacy),
            FormatArg::Markdown => Some(Format::Markdown),
            FormatArg::Html => Some(Format::Html),
        }
    }
}

/// Exit status for input that could not be used.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ingest {
            format,
            locale,
            document,
            files,
        } => ingest(format.format(), locale, document, &files),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => diff_command(&old, &new, format, &fail_on),
        Command::Report { out, root } => report_command(Path::new(&root), Path::new(&out)),
        #[cfg(feature = "explain")]
        Command::Explain { file } => explain_command(file.as_deref()),
    }
}

fn report_command(root: &Path, out: &Path) -> ExitCode {
    let dataset = match errcat::regen::load(root) {
        Ok(dataset) => dataset,
        Err(e) => {
            eprintln!("errcat: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let page = dataset.report();
    let target = out.join("index.html");
    let written = std::fs::create_dir_all(out).and_then(|()| std::fs::write(&target, page));
    match written {
        Ok(()) => {
            println!("wrote {}", target.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("errcat: {}: {e}", target.display());
            ExitCode::FAILURE
        }
    }
}

/// Reads and ingests one file for `diff`, reporting what makes it unusable.
fn read_revision(file: &str) -> Result<errcat::Revision, ExitCode> {
    let bytes = std::fs::read(file).map_err(|e| {
        eprintln!("errcat: {file}: cannot read: {e}");
        ExitCode::from(BAD_INPUT)
    })?;
    errcat::ingest_bytes(&bytes, source_for(file)).map_err(|e| {
        report_unusable(file, &e);
        ExitCode::from(BAD_INPUT)
    })
}

fn diff_command(old: &str, new: &str, format: Option<DiffFormat>, fail_on: &[String]) -> ExitCode {
    use std::io::IsTerminal;
    let mut kinds = Vec::new();
    for name in fail_on.iter().filter(|k| k.trim() != "terminology") {
        match errcat::diff::ChangeKind::parse(name.trim()) {
            Some(kind) => kinds.push(kind),
            None => {
                let known: Vec<&str> = errcat::diff::ChangeKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect();
                eprintln!(
                    "errcat: --fail-on: unknown kind `{name}` (known: {}, terminology)",
                    known.join(", ")
                );
                return ExitCode::from(BAD_INPUT);
            }
        }
    }
    let fail_on_terminology = fail_on.iter().any(|k| k.trim() == "terminology");
    let (old_revision, new_revision) = match (read_revision(old), read_revision(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let pair = errcat::diff::revisions(&old_revision, &new_revision, (None, None));
    let format = format.unwrap_or(if io::stdout().is_terminal() {
        DiffFormat::Terminal
    } else {
        DiffFormat::Markdown
    });
    let text = match format {
        DiffFormat::Markdown => {
            let mut out = String::new();
            // The sources' paths as given, from where the command ran.
            errcat::emit::changelog::pair_md(&mut out, &pair, "");
            out
        }
        DiffFormat::Json => {
            let mut json = serde_json::to_string_pretty(&pair).unwrap_or_default();
            json.push('\n');
            json
        }
        DiffFormat::Terminal => errcat::emit::changelog::pair_ansi(&pair),
    };
    if let Err(e) = io::stdout().lock().write_all(text.as_bytes()) {
        return write_failed(&e);
    }
    let hit = pair.changes.iter().any(|c| kinds.contains(&c.kind))
        || (fail_on_terminology && !pair.terminology.is_empty());
    if hit {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(feature = "explain")]
fn explain_command(file: Option<&str>) -> ExitCode {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = match file {
        None | Some("-") => io::stdin().read_to_end(&mut bytes).map(|_| ()),
        Some(path) => std::fs::read(path).map(|b| bytes = b),
    };
    if let Err(e) = read {
        eprintln!("errcat: {}: cannot read: {e}", file.unwrap_or("-"));
        return ExitCode::from(BAD_INPUT);
    }
    let text = String::from_utf8_lossy(&bytes);
    let report = explain::render(&explain::scan(&text));
    match io::stdout().lock().write_all(report.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => write_failed(&e),
    }
}

fn ingest(
    format: Option<Format>,
    locale: Option<String>,
    document: Option<String>,
    files: &[String],
) -> ExitCode {
    if let Some(locale) = &locale {
        if let Err(message) = errcat::manifest::check_locale(locale) {
            eprintln!("errcat: --locale: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("errcat: {file}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        let mut source = source_for(file);
        source.format = format;
        if let Some(locale) = &locale {
            source.locale = Some(locale.clone());
        }
        if let Some(document) = &document {
            source.document = document.clone();
        }
        match errcat::ingest_bytes(&bytes, source) {
            Ok(revision) => {
                for d in &revision.diagnostics {
                    eprintln!("{file}:{}: {}: {}", d.line, d.kind.as_str(), d.message);
                }
                let written = serde_json::to_writer(&mut out, &revision)
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"));
                if let Err(e) = written {
                    return write_failed(&e);
                }
            }
            Err(e) => {
                report_unusable(file, &e);
                failed = true;
            }
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if failed {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// `errcat: file:line: what is wrong`, the line where the error has one.
fn report_unusable(file: &str, e: &errcat::IngestError) {
    match e.line() {
        Some(line) => eprintln!("errcat: {file}:{line}: {e}"),
        None => eprintln!("errcat: {file}: {e}"),
    }
}

fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("errcat: cannot write output: {e}");
    ExitCode::FAILURE
}

/// What a path says of its source: `…/<document>/<revision>.<locale>.<ext>` names all
/// three; any other path names the document and revision by its stem.
fn source_for(file: &str) -> Source {
    let path = Path::new(file);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(file);
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or(name);
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let parts: Vec<&str> = name.split('.').collect();
    if let ([revision, locale, _ext], Some(folder)) = (parts.as_slice(), folder) {
        if errcat::manifest::check_locale(locale).is_ok()
            && errcat::manifest::check_segment(folder).is_ok()
        {
            let mut source = Source::new(folder, revision, file);
            source.locale = Some((*locale).to_owned());
            return source;
        }
    }
    Source::new(stem, stem, file)
}
