//! The Python and TypeScript files are rendered from templates (`xtask/templates/`), so a generated file reads like
//! its template; the generators only work out what goes in them.

use anyhow::{Context, Result};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
    ("python/operations.py", include_str!("../../templates/python/operations.py.jinja")),
    ("python/types.py", include_str!("../../templates/python/types.py.jinja")),
    ("python/errors.py", include_str!("../../templates/python/errors.py.jinja")),
    ("python/__init__.py", include_str!("../../templates/python/__init__.py.jinja")),
    ("node/errors.js", include_str!("../../templates/node/errors.js.jinja")),
    ("node/errors.d.ts", include_str!("../../templates/node/errors.d.ts.jinja")),
    ("node/index.mjs", include_str!("../../templates/node/index.mjs.jinja")),
    ("python/options.py", include_str!("../../templates/python/options.py.jinja")),
    ("node/options.d.ts", include_str!("../../templates/node/options.d.ts.jinja")),
    ("node/operations.js", include_str!("../../templates/node/operations.js.jinja")),
    ("node/client.d.ts", include_str!("../../templates/node/client.d.ts.jinja")),
    ("node/index.d.ts", include_str!("../../templates/node/index.d.ts.jinja")),
];

/// The template `name` filled with `context`.
pub fn render(name: &str, context: impl Serialize) -> Result<String> {
    let mut environment = Environment::new();
    // Code, not HTML; a name the context lacks is an error, never an empty string in a generated file.
    environment.set_auto_escape_callback(|_| AutoEscape::None);
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    // A block tag takes its own line and leaves no trace in the output; the file ends with its newline.
    environment
        .set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()?);
    for (template, source) in TEMPLATES {
        environment.add_template(template, source).with_context(|| format!("template {template}"))?;
    }
    let template = environment.get_template(name).with_context(|| format!("template {name}"))?;
    template.render(Serde(context)).with_context(|| format!("rendering {name}"))
}
