//! `cargo xtask spec-diff OLD NEW` and `cargo xtask spec-add FILE|URL`: the routine of a spec update.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::paths;

/// A spec version folder: a name under `spec/torii/`, or a path to a folder.
fn version_dir(name: &str) -> PathBuf {
    let under_spec = paths::root().join("spec/torii").join(name);
    if under_spec.is_dir() { under_spec } else { PathBuf::from(name) }
}

fn load(dir: &Path) -> Result<toriihq_spec::LoadedSpec> {
    toriihq_spec::load_dir(dir).with_context(|| format!("loading {}", dir.display()))
}

/// The Markdown report of what changed from `old` to `new`.
pub fn report(old: &str, new: &str) -> Result<String> {
    let (old_spec, new_spec) = (load(&version_dir(old))?, load(&version_dir(new))?);
    let label = |name: &str| Path::new(name).file_name().map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
    let changes = crate::tasks::spec_diff::diff(&old_spec, &new_spec);
    Ok(crate::tasks::spec_diff::render(&changes, &label(old), &label(new), &new_spec))
}

pub fn diff(old: &str, new: &str) -> Result<()> {
    print!("{}", report(old, new)?);
    Ok(())
}

/// New version folder from the document as received (its `info.version` names it), the built version's overlay
/// copied beside it, then `generate` from it and the report against the version it replaces.
pub fn add(source: &str) -> Result<()> {
    let text = if source.starts_with("https://") || source.starts_with("http://") {
        let output = std::process::Command::new("curl")
            .args(["--fail", "--silent", "--show-error", "--location", source])
            .output()
            .context("running curl to download the spec")?;
        if !output.status.success() {
            bail!("downloading {source}: {}", String::from_utf8_lossy(&output.stderr).trim());
        }
        String::from_utf8(output.stdout).context("the downloaded spec is not UTF-8")?
    } else {
        std::fs::read_to_string(source).with_context(|| format!("reading {source}"))?
    };
    let document = toriihq_spec::parse_document(&text, source)?;
    let version = document
        .pointer("/info/version")
        .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|n| n.to_string())))
        .context("the document has no info.version to name its folder by")?;
    if version.is_empty() || version.contains(['/', '\\']) || version.starts_with('.') {
        bail!("info.version {version:?} cannot name a folder");
    }
    let previous = std::fs::read_to_string(paths::root().join("spec/torii/VERSION"))?.trim().to_string();
    let folder = paths::root().join("spec/torii").join(&version);
    if folder.exists() {
        bail!("spec/torii/{version} exists already: versions are immutable, so a changed document needs a new version");
    }
    std::fs::create_dir_all(&folder)?;
    let extension = if text.trim_start().starts_with('{') { "json" } else { "yaml" };
    std::fs::write(folder.join(format!("openapi.{extension}")), &text)?;
    let overlay = paths::root().join("spec/torii").join(&previous).join(toriihq_spec::OVERLAY_FILE);
    if overlay.exists() {
        std::fs::copy(&overlay, folder.join(toriihq_spec::OVERLAY_FILE))?;
    }
    println!("spec/torii/{version}/ written from {source}, with the overlay of {previous}");
    if let Err(error) = load(&folder) {
        bail!(
            "{error:#}\n\nspec/torii/{version}/ is kept and VERSION still names {previous}: fix or drop the overlay \
             actions named above, then run `cargo xtask spec-add` steps by hand (docs/updating-the-spec.md)"
        );
    }
    std::fs::write(paths::root().join("spec/torii/VERSION"), format!("{version}\n"))?;
    super::generate::run(false)?;
    println!();
    diff(&previous, &version)
}
