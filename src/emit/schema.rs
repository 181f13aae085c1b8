//! JSON Schemas (draft 2020-12) for the data files, so that consumers outside Rust
//! can validate them. Field names here are the model's contract; a test checks
//! every generated file against its schema.

use serde_json::{json, Value};

/// `(file name, schema)` for each data file kind.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("revision.schema.json", revision()),
        ("catalog.schema.json", catalog()),
        ("changelog.schema.json", changelog()),
    ]
}

fn envelope_properties() -> Value {
    json!({
        "generated_by": { "type": "string" },
        "generator": { "type": "string", "description": "The tool and version that wrote the file." },
        "schema_version": { "type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$" },
        "dataset_version": { "type": "string", "description": "Derived from the data; changes exactly when it does." },
        "source_digest": { "type": "string", "pattern": "^[0-9a-f]{64}$" }
    })
}

fn with_envelope(id: &str, title: &str, mut properties: Value, required: &[&str]) -> Value {
    let mut all = envelope_properties();
    if let (Some(all), Some(props)) = (all.as_object_mut(), properties.as_object_mut()) {
        all.append(props);
    }
    let mut required_all = vec![
        "generated_by",
        "generator",
        "schema_version",
        "dataset_version",
        "source_digest",
    ];
    required_all.extend_from_slice(required);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": title,
        "type": "object",
        "required": required_all,
        "properties": all,
        "additionalProperties": false,
        "$defs": defs()
    })
}

fn defs() -> Value {
    json!({
        "text": { "type": "string" },
        "strings": { "type": "array", "items": { "type": "string" } },
        "kind": { "enum": ["error", "warning"] },
        "link": {
            "type": "object",
            "required": ["text", "url"],
            "properties": { "text": { "type": "string" }, "url": { "type": "string" } },
            "additionalProperties": false
        },
        "condition": {
            "type": "object",
            "description": "One situation a page describes for a code: one table row.",
            "required": ["causes", "message", "mitigation", "links", "source"],
            "properties": {
                "causes": { "$ref": "#/$defs/strings", "description": "Alternatives, any of which leads here." },
                "message": { "type": ["string", "null"] },
                "mitigation": { "type": ["string", "null"], "description": "null where the page gives none." },
                "links": { "type": "array", "items": { "$ref": "#/$defs/link" } },
                "source": {
                    "type": "object",
                    "required": ["file", "line"],
                    "properties": {
                        "file": { "type": "string" },
                        "line": { "type": "integer", "minimum": 1 }
                    },
                    "additionalProperties": false
                }
            },
            "additionalProperties": false
        },
        "code": {
            "type": "string",
            "description": "0x + 8 upper-case hex digits, a decimal-only code, or a string code as written."
        },
        "value": { "type": ["integer", "null"], "minimum": 0, "maximum": 4294967295u64 },
        "revision_ref": {
            "type": "object",
            "required": ["revision", "source", "title", "date"],
            "properties": {
                "revision": { "type": "string" },
                "source": { "type": "string" },
                "title": { "type": "string" },
                "date": { "type": ["string", "null"] }
            },
            "additionalProperties": false
        }
    })
}

fn revision() -> Value {
    with_envelope(
        "errcat/revision.schema.json",
        "One revision of one document in one locale",
        json!({
            "document": { "type": "string" },
            "revision": { "type": "string" },
            "locale": { "type": "string", "pattern": "^[a-z]{2,3}(-[a-z0-9]{2,8})*$" },
            "title": { "type": "string" },
            "format": { "enum": ["legacy", "markdown", "html"] },
            "source": { "type": "string" },
            "metadata": { "type": "object" },
            "steps": { "$ref": "#/$defs/strings" },
            "entries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "value", "names", "section", "kind", "conditions"],
                    "properties": {
                        "code": { "$ref": "#/$defs/code" },
                        "value": { "$ref": "#/$defs/value" },
                        "names": { "$ref": "#/$defs/strings" },
                        "section": { "$ref": "#/$defs/strings" },
                        "kind": { "$ref": "#/$defs/kind" },
                        "conditions": { "type": "array", "items": { "$ref": "#/$defs/condition" } }
                    },
                    "additionalProperties": false
                }
            },
            "diagnostics": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["level", "kind", "line", "message"],
                    "properties": {
                        "level": { "enum": ["warning", "error"] },
                        "kind": { "type": "string", "pattern": "^[a-z]+(-[a-z]+)*$" },
                        "line": { "type": "integer", "minimum": 0 },
                        "message": { "type": "string" }
                    },
                    "additionalProperties": false
                }
            },
            "stats": {
                "type": "object",
                "required": ["rows", "row_lines", "entries", "conditions", "diagnostics"],
                "properties": {
                    "rows": { "type": "integer", "minimum": 0 },
                    "row_lines": { "type": "array", "items": { "type": "integer" } },
                    "entries": { "type": "integer", "minimum": 0 },
                    "conditions": { "type": "integer", "minimum": 0 },
                    "diagnostics": { "type": "integer", "minimum": 0 }
                },
                "additionalProperties": false
            }
        }),
        &[
            "document",
            "revision",
            "locale",
            "title",
            "format",
            "source",
            "metadata",
            "steps",
            "entries",
            "diagnostics",
            "stats",
        ],
    )
}

fn catalog() -> Value {
    with_envelope(
        "errcat/catalog.schema.json",
        "Every code across documents, locales and revisions",
        json!({
            "codes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "value", "names", "contexts"],
                    "properties": {
                        "code": { "$ref": "#/$defs/code" },
                        "value": { "$ref": "#/$defs/value" },
                        "names": { "$ref": "#/$defs/strings" },
                        "contexts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["document", "locale", "section", "kind", "names", "revision",
                                             "first_seen", "last_changed", "withdrawn_in", "conditions"],
                                "properties": {
                                    "document": { "type": "string" },
                                    "locale": { "type": "string" },
                                    "section": { "$ref": "#/$defs/strings" },
                                    "kind": { "$ref": "#/$defs/kind" },
                                    "names": { "$ref": "#/$defs/strings" },
                                    "revision": { "type": "string" },
                                    "first_seen": { "type": "string" },
                                    "last_changed": { "type": "string" },
                                    "withdrawn_in": { "type": ["string", "null"] },
                                    "conditions": { "type": "array", "items": { "$ref": "#/$defs/condition" } }
                                },
                                "additionalProperties": false
                            }
                        }
                    },
                    "additionalProperties": false
                }
            },
            "conflicts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "reason", "meanings"],
                    "properties": {
                        "code": { "$ref": "#/$defs/code" },
                        "reason": { "type": "string" },
                        "meanings": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["document", "locale", "names", "summary"],
                                "properties": {
                                    "document": { "type": "string" },
                                    "locale": { "type": "string" },
                                    "names": { "$ref": "#/$defs/strings" },
                                    "summary": { "type": "string" }
                                },
                                "additionalProperties": false
                            }
                        }
                    },
                    "additionalProperties": false
                }
            }
        }),
        &["codes", "conflicts"],
    )
}

fn changelog() -> Value {
    let kinds: Vec<&str> = crate::diff::ChangeKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    let span = json!({
        "type": "object",
        "required": ["op", "text"],
        "properties": {
            "op": { "enum": ["equal", "delete", "insert"] },
            "text": { "type": "string" }
        },
        "additionalProperties": false
    });
    let change = json!({
        "type": "object",
        "required": ["id", "kind", "code", "section", "field", "old", "new", "words", "old_lines", "new_lines"],
        "properties": {
            "id": { "type": "string", "description": "Stable fingerprint of document, code, kind and content." },
            "kind": { "enum": kinds },
            "code": { "type": ["string", "null"] },
            "section": { "$ref": "#/$defs/strings" },
            "field": { "type": ["string", "null"] },
            "old": { "type": ["string", "null"] },
            "new": { "type": ["string", "null"] },
            "words": { "type": "array", "items": span },
            "old_lines": { "type": "array", "items": { "type": "integer" } },
            "new_lines": { "type": "array", "items": { "type": "integer" } }
        },
        "additionalProperties": false
    });
    let rename = json!({
        "type": "object",
        "required": ["id", "from", "to", "codes"],
        "properties": {
            "id": { "type": "string" },
            "from": { "type": "string" },
            "to": { "type": "string" },
            "codes": { "$ref": "#/$defs/strings" }
        },
        "additionalProperties": false
    });
    let pair = json!({
        "type": "object",
        "required": ["id", "document", "locale", "old", "new", "terminology", "changes"],
        "properties": {
            "id": { "type": "string" },
            "document": { "type": "string" },
            "locale": { "type": "string" },
            "old": { "$ref": "#/$defs/revision_ref" },
            "new": { "$ref": "#/$defs/revision_ref" },
            "terminology": { "type": "array", "items": rename },
            "changes": { "type": "array", "items": change }
        },
        "additionalProperties": false
    });
    let document = json!({
        "type": "object",
        "required": ["document", "title", "revisions"],
        "properties": {
            "document": { "type": "string" },
            "title": { "type": "string" },
            "revisions": { "type": "array", "description": "Newest first.", "items": pair }
        },
        "additionalProperties": false
    });
    let drift = json!({
        "type": "object",
        "required": ["document", "locale", "revision", "likely_translates", "shared", "only_here", "missing"],
        "properties": {
            "document": { "type": "string" },
            "locale": { "type": "string" },
            "revision": { "type": "string" },
            "likely_translates": { "type": ["string", "null"] },
            "shared": { "type": "integer", "minimum": 0 },
            "only_here": { "$ref": "#/$defs/strings" },
            "missing": { "$ref": "#/$defs/strings" }
        },
        "additionalProperties": false
    });
    with_envelope(
        "errcat/changelog.schema.json",
        "How the guidance changed between revisions and locales",
        json!({
            "documents": { "type": "array", "items": document },
            "drift": { "type": "array", "items": drift },
            "conflicts": { "type": "array", "description": "As in catalog.json." }
        }),
        &["documents", "drift", "conflicts"],
    )
}
