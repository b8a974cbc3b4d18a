//! The API surface of generated code: one line per operation (method, path, Rust call), for a snapshot that
//! shows in review exactly how a spec change alters what users call.

use anyhow::{Context, Result};
use quote::ToTokens;

/// One line per builder: `GET /apps  get_apps().fields(String).size(NonZeroU64).send() -> GetAppsResponse`.
pub fn api_surface(source: &str) -> Result<String> {
    let file: syn::File = syn::parse_file(source).context("generated code does not parse")?;
    let mut lines = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        if !is_named(&block.self_ty, "Client") || block.trait_.is_some() {
            continue;
        }
        for entry in &block.items {
            let syn::ImplItem::Fn(method) = entry else { continue };
            let name = method.sig.ident.to_string();
            let returns = tidy(&method.sig.output.to_token_stream().to_string());
            let builder =
                returns.trim_start_matches("-> ").trim_start_matches("builder::").trim_start_matches("upload::");
            let builder = builder.split('<').next().unwrap_or(builder).to_string();
            let makes_request =
                returns.contains("builder::") || returns.contains("upload::") || name.ends_with("_stream");
            if !makes_request {
                continue;
            }
            if name.ends_with("_stream") {
                lines.push(format!("{name}(|request| …) {returns}"));
                continue;
            }
            let (http, setters, output) = describe_builder(&file, &builder);
            lines.push(format!("{http}  {name}(){setters}.send() -> {output}"));
        }
    }
    lines.sort();
    Ok(lines.join("\n") + "\n")
}

fn describe_builder(file: &syn::File, builder: &str) -> (String, String, String) {
    let mut http = String::new();
    let mut setters = String::new();
    let mut output = String::new();
    for module in &file.items {
        // Only the builders (`builder`, and `upload` for multipart): a type of `types` may share a builder's name.
        let syn::Item::Mod(module) = module else { continue };
        let is_builders = module.ident == "builder" || module.ident == "upload";
        let Some((_, items)) = module.content.as_ref().filter(|_| is_builders) else { continue };
        for item in items {
            let syn::Item::Impl(block) = item else { continue };
            if !is_named(&block.self_ty, builder) {
                continue;
            }
            for entry in &block.items {
                let syn::ImplItem::Fn(method) = entry else { continue };
                let name = method.sig.ident.to_string();
                match name.as_str() {
                    "new" | "send_raw" | "send_with_response" | "send_body" | "send_body_raw" | "body_map" => {}
                    "send" => {
                        output = tidy(&method.sig.output.to_token_stream().to_string());
                        output = output.trim_start_matches("-> ").to_string();
                        http = method
                            .attrs
                            .iter()
                            .find_map(|a| {
                                let text = a.to_token_stream().to_string();
                                let mut parts = text.split('`').skip(1).step_by(2);
                                Some(format!("{} {}", parts.next()?, parts.next()?))
                            })
                            .unwrap_or_default();
                    }
                    _ => setters.push_str(&format!(".{name}({})", setter_type(method))),
                }
            }
        }
    }
    if http.is_empty() {
        http = format!("(multipart {builder})");
    }
    (http, setters, output)
}

fn setter_type(method: &syn::ImplItemFn) -> String {
    let bound = method.sig.generics.where_clause.as_ref().and_then(|w| {
        w.predicates.iter().find_map(|p| {
            let text = tidy(&p.to_token_stream().to_string());
            let inner = text.split("TryInto<").nth(1)?;
            Some(inner.split('>').next()?.to_string())
        })
    });
    bound.unwrap_or_else(|| {
        method
            .sig
            .inputs
            .iter()
            .nth(1)
            .map(|arg| {
                tidy(&arg.to_token_stream().to_string())
                    .trim_start_matches("value: ")
                    .trim_start_matches("impl Into<")
                    .trim_end_matches('>')
                    .to_string()
            })
            .unwrap_or_default()
    })
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Shortens token text: drops `::std::…::` prefixes and spaces around punctuation.
fn tidy(text: &str) -> String {
    let mut text =
        text.replace(" : ", ": ").replace(" :: ", "::").replace(":: ", "::").replace(" < ", "<").replace(" <", "<");
    text = text
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(",>", ">")
        .replace("& '", "&'")
        .replace("' _", "'_");
    for prefix in [
        "::std::string::",
        "::std::option::",
        "::std::vec::",
        "::std::num::",
        "std::num::",
        "crate::__runtime::",
        "types::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}
