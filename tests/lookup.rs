//! The generated crate answers every spelling a user pastes, on real codes.

use errcat::catalog::{Catalog, CodeRecord};
use errcat::emit::Versions;
use errcat_codes::{lookup, lookup_all, lookup_value, Kind};

#[path = "common/krate.rs"]
mod krate;

fn code(spelling: &str) -> &'static str {
    lookup(spelling)
        .unwrap_or_else(|| panic!("{spelling:?} not found"))
        .code()
}

#[test]
fn every_spelling_of_a_hex_code() {
    for spelling in [
        "0x801c03ed",
        "0X801C03ED",
        "801C03ED",
        "801c03ed",
        "-2145647635",
        "2149319661",
        "  0x801C03ED\n",
    ] {
        assert_eq!(code(spelling), "0x801C03ED", "{spelling:?}");
    }
}

#[test]
fn names_string_codes_and_decimal_codes() {
    assert_eq!(code("DSREG_E_DIRECTORY_FAILURE"), "0x801C03F2");
    assert_eq!(code("dsreg_e_directory_failure"), "0x801C03F2");
    assert_eq!(code("AADSTS50126"), "AADSTS50126");
    assert_eq!(code("aadsts50126"), "AADSTS50126");
    assert_eq!(code("CONTACT_SUPPORT"), "CONTACT_SUPPORT");
    assert_eq!(code("12002"), "12002");
    assert_eq!(code("ERROR_WINHTTP_TIMEOUT"), "12002");
    assert_eq!(code("NTE_BAD_DATA"), "0x80090005");
    let all: Vec<_> = lookup_all("DSREG_E_DIRECTORY_FAILURE")
        .map(|c| c.code())
        .collect();
    assert_eq!(all, ["0x801C03F2"]);
    assert!(lookup("").is_none());
    assert!(lookup("NOT_A_CODE").is_none());
    assert!(lookup("0x1FFFFFFFF").is_none());
}

/// The sign-in service reports its errors by number alone: `"error_codes": [50126]`
/// in its error responses, `Sign-in error code 50126` in the sign-in logs.
#[test]
fn a_sign_in_errors_number_alone_finds_it() {
    assert_eq!(code("50126"), "AADSTS50126");
    assert_eq!(code(" 50155\n"), "AADSTS50155");
    // A number that is a code's own still finds that code.
    assert_eq!(code("12002"), "12002");
    for spelling in ["50127", "050126", "-50126", "5012600000000"] {
        assert!(lookup(spelling).is_none(), "{spelling:?}");
    }
}

/// A name two codes share, and digits that read as one code's decimal value,
/// another's hex value and a third's sign-in number, give every code they may
/// stand for, each once, `lookup`'s first. No page of `sources/` has such a
/// spelling, so the crate here is built from a catalogue of this test's own.
#[test]
fn a_spelling_that_stands_for_several_codes_gives_each() {
    let record = |code: &str, value: Option<u32>, names: &[&str]| CodeRecord {
        code: code.to_owned(),
        value,
        names: names.iter().map(|&n| n.to_owned()).collect(),
        contexts: Vec::new(),
    };
    const SAML: &str = "AAD_CLOUDAP_E_WSTRUST_SAML_TOKENS_ARE_EMPTY";
    let catalog = Catalog {
        codes: vec![
            record("0x00012002", Some(0x12002), &[]),
            // One name in two cases: two rows of the name table for one code.
            record(
                "0x800484C1",
                Some(0x8004_84C1),
                &[SAML, &SAML.to_lowercase()],
            ),
            record("0xC00484C1", Some(0xC004_84C1), &[SAML]),
            record("12002", Some(12002), &["ERROR_WINHTTP_TIMEOUT"]),
            record("AADSTS12002", None, &[]),
        ],
        conflicts: Vec::new(),
    };
    let versions = Versions {
        schema: errcat::SCHEMA_VERSION.to_owned(),
        dataset: "shared".to_owned(),
        source_digest: "0".repeat(64),
        generator: "errcat test".to_owned(),
    };
    let main = r#"fn main() {
    for s in ["aad_cloudap_e_wstrust_saml_tokens_are_empty", "12002", "0x12002", "C00484C1", "50126", "NOT_A_CODE"] {
        let all: Vec<_> = errcat_codes::lookup_all(s).map(|c| c.code()).collect();
        println!("{s}: {} | {:?}", all.join(" "), errcat_codes::lookup(s).map(|c| c.code()));
    }
}
"#;
    let stdout = krate::run_probe(&catalog, &versions, main);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "aad_cloudap_e_wstrust_saml_tokens_are_empty: 0x800484C1 0xC00484C1 | Some(\"0x800484C1\")",
            "12002: 12002 0x00012002 AADSTS12002 | Some(\"12002\")",
            "0x12002: 0x00012002 | Some(\"0x00012002\")",
            "C00484C1: 0xC00484C1 | Some(\"0xC00484C1\")",
            "50126:  | None",
            "NOT_A_CODE:  | None",
        ]
    );
}

#[test]
fn values_and_iteration() {
    let ed = lookup_value(0x801C_03ED).expect("0x801C03ED");
    assert_eq!(ed.value(), Some(0x801C_03ED));
    assert!(lookup_value(0xDEAD_BEEF).is_none());
    let all: Vec<_> = errcat_codes::codes().collect();
    assert!(all.len() > 100);
    assert!(all.windows(2).all(|w| w[0].code() < w[1].code()));
}

#[test]
fn contexts_carry_the_guidance() {
    let ed = lookup("0x801C03ED").unwrap();
    let contexts: Vec<_> = ed.contexts().collect();
    let en = contexts
        .iter()
        .find(|c| c.document() == "windows-hello-pin-errors" && c.locale() == "en-us")
        .expect("en-us PIN context");
    assert_eq!(en.section().collect::<Vec<_>>(), ["Error mitigations"]);
    assert_eq!(en.revision(), "2018-05-05");
    assert_eq!(en.first_seen(), "undated-passport");
    assert_eq!(en.withdrawn_in(), None);
    let condition = en.conditions().next().unwrap();
    assert_eq!(condition.causes().len(), 5);
    assert!(condition
        .mitigation()
        .unwrap()
        .starts_with("Sign out and then sign in again."));
    assert_eq!(
        condition.source_file(),
        "sources/windows-hello-pin-errors/2018-05-05.en-us.md"
    );
    assert!(contexts.iter().any(|c| c.locale() == "ja-jp"));

    let unknown = lookup("0x80090020").unwrap().contexts().next().unwrap();
    assert_eq!(unknown.conditions().next().unwrap().mitigation(), None);
    let warning = lookup("OathCodeIncorrect")
        .unwrap()
        .contexts()
        .next()
        .unwrap();
    assert_eq!(warning.kind(), Kind::Warning);
    let tpm = lookup("0x80090031").unwrap();
    let link = tpm
        .contexts()
        .flat_map(|c| c.conditions())
        .flat_map(|c| c.links())
        .find(|l| l.text == "Clear-TPM")
        .unwrap();
    assert_eq!(
        link.url,
        "/powershell/module/trustedplatformmodule/clear-tpm"
    );
}

#[test]
fn hresult_decoding() {
    let h = lookup("0x80072EE2").unwrap().hresult().unwrap();
    assert_eq!(h.facility_name(), Some("FACILITY_WIN32"));
    assert_eq!(h.win32(), Some(12002));
    assert!(lookup("CONTACT_SUPPORT").unwrap().hresult().is_none());
}

#[test]
fn versions_are_exposed() {
    assert_eq!(errcat_codes::SCHEMA_VERSION, errcat::SCHEMA_VERSION);
    assert_eq!(errcat_codes::SOURCE_DIGEST.len(), 64);
    assert_eq!(errcat_codes::DATA_VERSION.len(), 16);
}

#[test]
fn codes_serialise_with_the_serde_feature() {
    let json = serde_json::to_value(lookup("0x801C03F2").unwrap()).unwrap();
    assert_eq!(json["code"], "0x801C03F2");
    assert_eq!(json["value"], 0x801C_03F2u32);
    assert_eq!(json["names"][0], "DSREG_E_DIRECTORY_FAILURE");
    let contexts = json["contexts"].as_array().unwrap();
    assert_eq!(contexts.len(), 3);
    let hybrid = contexts
        .iter()
        .find(|c| c["document"] == "entra-hybrid-join-troubleshooting")
        .unwrap();
    assert_eq!(hybrid["kind"], "error");
    assert_eq!(hybrid["withdrawn_in"], serde_json::Value::Null);
    assert!(hybrid["conditions"][0]["mitigation"]
        .as_str()
        .unwrap()
        .starts_with("Refer to the server error code"));
}
