//! Running progenitor: the document it is given (multipart operations are ours), its settings, and, when it
//! fails, which operation made it fail.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use serde_json::{Value, json};
use toriihq_spec::{BodyKind, LoadedSpec, Operation};

/// The document progenitor sees: multipart operations are served by the generated upload builders instead,
/// so they leave; their inline success schemas become components so their types are still generated.
pub(super) fn input(spec: &LoadedSpec) -> Value {
    let mut document = spec.document.clone();
    for op in spec.operations.iter().filter(|o| o.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart)) {
        let method = op.method.to_lowercase();
        let item = &mut document["paths"][&op.path];
        let removed = item.as_object_mut().and_then(|m| m.shift_remove(&method));
        if item.as_object().is_some_and(|m| !m.keys().any(|k| is_method(k))) {
            document["paths"].as_object_mut().map(|p| p.shift_remove(&op.path));
        }
        let (Some(removed), Some(name)) = (removed, &op.response_schema) else { continue };
        let status = op.success_status.to_string();
        let schema = removed.pointer(&format!("/responses/{status}/content/application~1json/schema")).cloned();
        if let Some(schema) = schema.filter(|s| s.get("$ref").is_none()) {
            document["components"]["schemas"][name] = schema;
        }
    }
    document
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
}

fn settings(spec: &LoadedSpec, runtime: &syn::Path, module: &syn::Path) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(#runtime::Transport));
    for name in spec.report.punctuation_enums.keys() {
        let path = format!("{}::types::{name}", quote!(#module).to_string().replace(' ', ""));
        settings.with_replacement(name, path, [TypeImpl::Display, TypeImpl::FromStr].into_iter());
    }
    settings
}

pub(super) fn run(document: &Value, spec: &LoadedSpec, runtime: &syn::Path, module: &syn::Path) -> Result<TokenStream> {
    let settings = settings(spec, runtime, module);
    match attempt(document, &settings) {
        Ok(tokens) => Ok(tokens),
        Err(whole) => {
            // Name the operations that fail on their own, so the message points at the spec, not at progenitor.
            let culprits: Vec<String> = spec
                .operations
                .iter()
                .filter_map(|op| {
                    let alone = only_operation(document, op)?;
                    attempt(&alone, &settings)
                        .err()
                        .map(|e| format!("operation `{}` ({} {}): {e}", op.id, op.method, op.path))
                })
                .collect();
            if culprits.is_empty() {
                bail!("progenitor failed on the whole document: {whole}");
            }
            bail!("progenitor failed on {}", culprits.join("; "))
        }
    }
}

fn only_operation(document: &Value, op: &Operation) -> Option<Value> {
    let method = op.method.to_lowercase();
    let operation = document.pointer(&format!("/paths/{}/{method}", op.path.replace('~', "~0").replace('/', "~1")))?;
    let mut alone = document.clone();
    alone["paths"] = json!({ op.path.clone(): { method: operation.clone() } });
    Some(alone)
}

fn attempt(document: &Value, settings: &GenerationSettings) -> Result<TokenStream> {
    let openapi: openapiv3::OpenAPI = serde_json::from_value(document.clone()).context("not OpenAPI 3.0")?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| Generator::new(settings).generate_tokens(&openapi)));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(anyhow!("{e}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(anyhow!("progenitor panicked: {message}"))
        }
    }
}
