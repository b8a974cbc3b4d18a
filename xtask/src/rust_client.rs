//! spec → progenitor (builder style) → a syn rewrite → prettyplease.
//!
//! The rewrite gives every builder a `send()` that returns the typed body and the crate's one `Error`
//! (progenitor's own becomes the private `send_raw`), and adds what progenitor cannot produce: the hooks that
//! route requests through the transport, item streams for paged lists, multipart upload builders, and enums
//! whose values differ only in punctuation.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use serde_json::{Value, json};
use syn::visit_mut::VisitMut;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, ValueType};

use crate::rust_extras::{self, Builders};

/// Where the generated module sits and where it finds the runtime.
#[derive(Debug, Clone)]
pub struct RustOptions {
    /// Path of the runtime module from inside the generated module, e.g. `crate::__runtime`.
    pub runtime_path: String,
    /// Path of the generated module itself, e.g. `crate::generated`.
    pub module_path: String,
}

impl Default for RustOptions {
    fn default() -> Self {
        RustOptions { runtime_path: "crate::__runtime".into(), module_path: "crate::generated".into() }
    }
}

/// Generates the Rust client for a loaded spec, as source text with the generated-file header.
pub fn generate(spec: &LoadedSpec, options: &RustOptions) -> Result<String> {
    let runtime: syn::Path = syn::parse_str(&options.runtime_path).context("runtime_path")?;
    let module: syn::Path = syn::parse_str(&options.module_path).context("module_path")?;
    let document = progenitor_input(spec);
    let tokens = run_progenitor(&document, spec, &runtime, &module)?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor output does not parse")?;

    let mut rewrite = SendRewrite {
        runtime: runtime.clone(),
        operations: &spec.operations,
        builders: Builders::default(),
        failure: None,
    };
    rewrite.visit_file_mut(&mut file);
    if let Some(failure) = rewrite.failure {
        bail!(failure);
    }
    let type_names = rust_extras::type_names(&file);
    let extras = rust_extras::extras(spec, &rewrite.builders, &file, &type_names, &runtime)?;
    rust_extras::add_named_enums(&mut file, &spec.report.punctuation_enums)?;
    file.items.extend(extras);

    let body = prettyplease::unparse(&file);
    Ok(format!("{}\n\n{body}", crate::generated_header("//")))
}

/// The document progenitor sees: multipart operations are served by the generated upload builders instead,
/// so they leave; their inline success schemas become components so their types are still generated.
fn progenitor_input(spec: &LoadedSpec) -> Value {
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

fn run_progenitor(document: &Value, spec: &LoadedSpec, runtime: &syn::Path, module: &syn::Path) -> Result<TokenStream> {
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

/// Renames progenitor's `send` to `send_raw` and adds `send` and `send_with_response` returning the crate's
/// `Result`. Records, per builder, the method, path and success type, for the extras.
struct SendRewrite<'a> {
    runtime: syn::Path,
    operations: &'a [Operation],
    builders: Builders,
    failure: Option<String>,
}

impl VisitMut for SendRewrite<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if module.ident != "builder" {
            return;
        }
        let Some((_, items)) = module.content.as_mut() else { return };
        let fields: std::collections::BTreeMap<String, Vec<String>> = items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((
                    s.ident.to_string(),
                    s.fields.iter().filter_map(|f| f.ident.as_ref().map(|i| i.to_string())).collect(),
                )),
                _ => None,
            })
            .collect();
        for item in items.iter_mut() {
            let syn::Item::Impl(block) = item else { continue };
            let Some(builder) = self_type_name(block) else { continue };
            let Some(index) =
                block.items.iter().position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
            else {
                continue;
            };
            let syn::ImplItem::Fn(send) = &mut block.items[index] else { unreachable!() };
            let (method, path) = method_and_path(&send.attrs).unwrap_or_default();
            let Some(success) = success_type(&send.sig.output) else { continue };
            send.sig.ident = syn::Ident::new("send_raw", send.sig.ident.span());
            send.vis = syn::Visibility::Inherited;
            let doc = send.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect::<Vec<_>>();
            let runtime = &self.runtime;
            let finish = if decodes(&success) { quote!(finish_decoded) } else { quote!(finish) };
            let operation = self.operations.iter().find(|o| o.method == method.to_uppercase() && o.path == path);
            let known_fields = fields.get(&builder).cloned().unwrap_or_default();
            let checks = match operation.map(|op| argument_checks(op, &known_fields, runtime)) {
                Some(Ok(checks)) => checks,
                Some(Err(message)) => {
                    self.failure.get_or_insert(message);
                    Vec::new()
                }
                None => Vec::new(),
            };
            let added: syn::ItemImpl = syn::parse_quote! {
                impl X {
                    #(#doc)*
                    ///
                    /// Returns the decoded body.
                    pub async fn send(self) -> #runtime::Result<#success> {
                        self.send_with_response().await.map(ResponseValue::into_inner)
                    }
                    /// As `send`, with the status and headers of the answer.
                    pub async fn send_with_response(self) -> #runtime::Result<ResponseValue<#success>> {
                        #(#checks)*
                        #runtime::#finish(self.send_raw().await).await
                    }
                }
            };
            block.items.extend(added.items);
            self.builders.insert(builder, method, path, success);
        }
    }
}

/// Checks of the spec's numeric limits (`minimum`, `maximum`), which progenitor does not make, run before any
/// byte is sent. (String limits need no check here: typify turns constrained strings into validating newtypes.)
fn argument_checks(op: &Operation, fields: &[String], runtime: &syn::Path) -> Result<Vec<TokenStream>, String> {
    let mut checks = Vec::new();
    for param in &op.parameters {
        let numeric = matches!(param.value_type, ValueType::Integer | ValueType::Number);
        if !numeric || (param.minimum.is_none() && param.maximum.is_none()) {
            continue;
        }
        let field_name = param.snake_name.clone();
        if !fields.contains(&field_name) {
            return Err(format!("`{}`: the builder has no field `{field_name}` for parameter `{}`", op.id, param.name));
        }
        let field = syn::Ident::new(&field_name, proc_macro2::Span::call_site());
        let value = if param.required {
            quote!(self.#field.as_ref().ok())
        } else {
            quote!(self.#field.as_ref().ok().and_then(|v| v.as_ref()))
        };
        let name = &param.name;
        let minimum = option_tokens(param.minimum);
        let maximum = option_tokens(param.maximum);
        checks.push(quote!(#runtime::check_bounds(#name, #value, #minimum, #maximum)?;));
    }
    Ok(checks)
}

fn option_tokens(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn self_type_name(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// progenitor documents `send` as "Sends a `GET` request to `/apps`".
fn method_and_path(attrs: &[syn::Attribute]) -> Option<(String, String)> {
    attrs.iter().find_map(|attr| {
        let syn::Meta::NameValue(nv) = &attr.meta else { return None };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &nv.value else { return None };
        let text = text.value();
        let mut quoted = text.split('`').skip(1).step_by(2);
        Some((quoted.next()?.to_string(), quoted.next()?.to_string()))
    })
}

/// `T` out of `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else { return None };
    let response_value = first_generic(ty)?;
    first_generic(&response_value)
}

fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn decodes(ty: &syn::Type) -> bool {
    let text = quote!(#ty).to_string().replace(' ', "");
    text != "()" && !text.ends_with("ByteStream")
}
