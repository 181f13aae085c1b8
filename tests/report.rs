//! The reviewers' HTML page: self-contained, inert for hostile text, and rendering
//! the expected changes in a real browser.

use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: &str = "<img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned'</script> & \u{202e}evil";

/// The page for the real dataset, with a hostile cause planted in the 2018 revision.
fn page() -> String {
    let mut dataset = errcat::regen::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let revision = dataset
        .revisions
        .iter_mut()
        .find(|r| r.revision == "2018-05-05")
        .unwrap();
    let entry = revision
        .entries
        .iter_mut()
        .find(|e| e.code == "0x80090036")
        .unwrap();
    entry.conditions[0].causes = vec![HOSTILE.to_owned()];
    dataset.report()
}

#[test]
fn the_page_is_self_contained_and_its_data_cannot_close_the_script() {
    let html = page();
    for external in ["src=\"http", "href=\"http", "src='http", "@import", "url("] {
        assert!(!html.contains(external), "external asset: {external}");
    }
    let data_start = html.find("id=\"data\">").unwrap();
    let data_end = html[data_start..].find("</script>").unwrap() + data_start;
    let data = &html[data_start..data_end];
    assert!(!data.contains('<'), "raw < inside the data block");
    assert!(data.contains("\\u003cscript>"));
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn run_chromium(args: &[&str], profile: &Path) -> std::process::Output {
    Command::new(chromium().expect("Debian's chromium is installed"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1800",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs the ignored tests"]
fn the_page_renders_the_changes_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index.html");
    std::fs::write(&index, page()).unwrap();
    let url = format!(
        "file://{}#doc=windows-hello-pin-errors&locale=en-us&old=undated-passport&new=2018-05-05&code=DSREG_E_DIRECTORY_FAILURE",
        index.display()
    );
    let out = run_chromium(
        &["--virtual-time-budget=5000", "--dump-dom", &url],
        &dir.path().join("profile"),
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<title>errcat review</title>"),
        "hostile text ran and set the title: {dom:.2000}"
    );
    assert!(!dom.contains("<img"), "hostile text became an element");
    assert!(
        dom.contains("&lt;img src=x onerror="),
        "hostile text is not shown as text"
    );
    assert!(
        dom.contains("data-kind=\"conditions-merged\" data-code=\"0x801C03ED\""),
        "the 0x801C03ED merge is not rendered"
    );
    assert!(dom.contains(
        "<del>Log out and then log in again</del> → <ins>Sign out and then sign in again</ins>"
    ));
    assert!(dom.contains("<ins>canceled</ins>") || dom.contains("data-code=\"0x80090036\""));
    assert!(dom.contains("only in ja-jp: 0x80072F8F, 0x801C0451, 0xC00000BB, 0xCAA30193"));
    assert!(dom.contains("missing from ja-jp: 0x800706D9"));
    assert!(
        dom.contains("0x801C03F2  DSREG_E_DIRECTORY_FAILURE"),
        "code history"
    );

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let out = run_chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--virtual-time-budget=5000",
            &url,
        ],
        &dir.path().join("profile2"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "screenshot is {} bytes",
        png.len()
    );
}
