//! Where a rule set's text comes from: the files of a `rules/` directory, or the default set
//! built into the binary. Also the rule set's version, a hash of its content.
//!
//! A rule directory has a fixed layout, so that a misspelt file name is an error rather than a
//! silently ignored file:
//!
//! ```text
//! kinds.toml         statement-kind cues
//! specificity.toml   cues for the specificity score
//! themes.toml        themes
//! measures.toml      measures (numbers, money, dates, ...)
//! places.toml        the council's places (a measure file)
//! groups.toml        target groups (a measure file)
//! kind-model.toml    the kind model's weights (optional; see `kindmodel`)
//! frameworks/*.toml  one framework per file
//! ```

use std::path::Path;

use sha2::{Digest, Sha256};

use super::error::LoadError;
use super::limits;

/// What a rule file holds, told by its place in the directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    Cues,
    Themes,
    Measures,
    Framework,
    /// The kind model's weights (`kind-model.toml`).
    Model,
    /// The principle model's weights (`principle-model.toml`).
    PrincipleModel,
}

/// The top-level files and their roles. `required` files must exist.
const LAYOUT: &[(&str, FileRole, bool)] = &[
    ("kinds.toml", FileRole::Cues, true),
    ("specificity.toml", FileRole::Cues, false),
    ("themes.toml", FileRole::Themes, true),
    ("measures.toml", FileRole::Measures, true),
    ("places.toml", FileRole::Measures, false),
    ("groups.toml", FileRole::Measures, false),
    ("kind-model.toml", FileRole::Model, false),
    ("principle-model.toml", FileRole::PrincipleModel, false),
];

/// One rule file's text.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// The path relative to the rule directory, with `/` separators (`frameworks/marmot.toml`).
    pub name: String,
    /// The path to show in messages.
    pub display: String,
    pub role: FileRole,
    pub text: String,
}

/// All files of one rule set.
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub files: Vec<RuleFile>,
}

/// The default rule set, compiled into the binary from the crate's `rules/` directory.
const EMBEDDED: &[(&str, &str)] = &[
    ("kinds.toml", include_str!("../../rules/kinds.toml")),
    (
        "specificity.toml",
        include_str!("../../rules/specificity.toml"),
    ),
    ("themes.toml", include_str!("../../rules/themes.toml")),
    ("measures.toml", include_str!("../../rules/measures.toml")),
    ("places.toml", include_str!("../../rules/places.toml")),
    ("groups.toml", include_str!("../../rules/groups.toml")),
    (
        "principle-model.toml",
        include_str!("../../rules/principle-model.toml"),
    ),
    (
        "frameworks/cheshire-east.toml",
        include_str!("../../rules/frameworks/cheshire-east.toml"),
    ),
    (
        "frameworks/marmot.toml",
        include_str!("../../rules/frameworks/marmot.toml"),
    ),
];

impl RuleSource {
    /// The rule set built into the binary (a copy of the crate's `rules/` directory).
    pub fn embedded() -> RuleSource {
        let files = EMBEDDED
            .iter()
            .filter_map(|(name, text)| {
                role_of(name).map(|role| RuleFile {
                    name: name.to_string(),
                    display: format!("rules/{name}"),
                    role,
                    text: text.to_string(),
                })
            })
            .collect();
        RuleSource { files }
    }

    /// A rule set from `(name, text)` pairs, such as a copy kept in an index; names that are not
    /// rule files are left out.
    pub fn from_texts(files: impl IntoIterator<Item = (String, String)>) -> RuleSource {
        let files = files
            .into_iter()
            .filter_map(|(name, text)| {
                role_of(&name).map(|role| RuleFile {
                    display: format!("rules/{name}"),
                    name,
                    role,
                    text,
                })
            })
            .collect();
        RuleSource { files }
    }

    /// Read a rule directory. Unknown `.toml` files and missing required files are errors;
    /// other files (a README) are ignored.
    pub fn from_dir(dir: &Path) -> Result<RuleSource, LoadError> {
        let mut files = Vec::new();
        let mut names = list_toml(dir)?;
        let fw_dir = dir.join("frameworks");
        if fw_dir.is_dir() {
            for name in list_toml(&fw_dir)? {
                names.push(format!("frameworks/{name}"));
            }
        }
        names.sort();
        for (name, _, required) in LAYOUT {
            if *required && !names.iter().any(|n| n == name) {
                return Err(LoadError::Layout {
                    path: dir.to_path_buf(),
                    message: format!("missing required rule file `{name}`"),
                });
            }
        }
        if !names.iter().any(|n| n.starts_with("frameworks/")) {
            return Err(LoadError::Layout {
                path: dir.to_path_buf(),
                message: "no framework: expected at least one `frameworks/*.toml`".into(),
            });
        }
        if names.len() > limits::MAX_FILES {
            return Err(LoadError::Layout {
                path: dir.to_path_buf(),
                message: format!("more than {} rule files", limits::MAX_FILES),
            });
        }
        for name in names {
            let path = dir.join(&name);
            let Some(role) = role_of(&name) else {
                return Err(LoadError::Layout {
                    path,
                    message: format!(
                        "unknown rule file (expected one of {}, or frameworks/*.toml)",
                        LAYOUT
                            .iter()
                            .map(|(n, _, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            };
            let text = read_bounded(&path)?;
            files.push(RuleFile {
                display: path.display().to_string(),
                name,
                role,
                text,
            });
        }
        Ok(RuleSource { files })
    }

    /// The rule set's version: the first 16 hex digits of a SHA-256 over every file's name
    /// and content, in name order. Equal content gives an equal version wherever it is loaded from.
    pub fn version(&self) -> String {
        let mut files: Vec<&RuleFile> = self.files.iter().collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let mut hasher = Sha256::new();
        for f in files {
            hasher.update(f.name.as_bytes());
            hasher.update([0u8]);
            hasher.update((f.text.len() as u64).to_le_bytes());
            hasher.update(f.text.as_bytes());
        }
        let digest = hasher.finalize();
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

fn role_of(name: &str) -> Option<FileRole> {
    if let Some(rest) = name.strip_prefix("frameworks/") {
        return (rest.ends_with(".toml") && !rest.contains('/')).then_some(FileRole::Framework);
    }
    LAYOUT
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, role, _)| *role)
}

/// The `.toml` file names directly in `dir`, sorted.
fn list_toml(dir: &Path) -> Result<Vec<String>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") && entry.path().is_file() {
            names.push(name);
        }
        if names.len() > limits::MAX_FILES {
            break;
        }
    }
    names.sort();
    Ok(names)
}

fn read_bounded(path: &Path) -> Result<String, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limits::MAX_FILE_BYTES as u64 {
        return Err(LoadError::Layout {
            path: path.to_path_buf(),
            message: format!(
                "rule file of {len} bytes exceeds the limit of {} bytes",
                limits::MAX_FILE_BYTES
            ),
        });
    }
    std::fs::read_to_string(path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_equals_the_rules_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let from_dir = RuleSource::from_dir(&dir).unwrap();
        let embedded = RuleSource::embedded();
        let names = |s: &RuleSource| s.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&from_dir), {
            let mut n = names(&embedded);
            n.sort();
            n
        });
        assert_eq!(from_dir.version(), embedded.version());
    }

    #[test]
    fn version_changes_with_content() {
        let a = RuleSource::embedded();
        let mut b = a.clone();
        b.files[0].text.push_str("\n# changed\n");
        assert_ne!(a.version(), b.version());
        assert_eq!(a.version().len(), 16);
    }

    #[test]
    fn unknown_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for f in RuleSource::from_dir(&src).unwrap().files {
            let p = dir.path().join(&f.name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f.text).unwrap();
        }
        std::fs::write(dir.path().join("theme.toml"), "").unwrap();
        let err = RuleSource::from_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("theme.toml") && err.contains("unknown rule file"),
            "{err}"
        );
    }
}
