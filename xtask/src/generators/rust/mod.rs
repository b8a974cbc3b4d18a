//! spec → progenitor (builder style) → a syn rewrite → prettyplease, one concern per module:
//! `progenitor` runs it, `send` rewrites its `send`, `lookup` finds things in its output, and `streams`,
//! `uploads`, `enums`, `open_structs` and `round_trip` add what progenitor cannot produce — item streams for paged
//! lists, multipart upload builders, enums whose values differ only in punctuation, a `Deserialize` that does not
//! buffer for structs keeping custom fields, and the typed round-trip check.

mod enums;
mod lookup;
mod open_structs;
mod progenitor;
mod round_trip;
mod send;
mod streams;
mod uploads;

use std::collections::BTreeSet;

use anyhow::{Context, Result, anyhow};
use proc_macro2::TokenStream;
use syn::visit_mut::VisitMut;
use toriihq_spec::{BodyKind, LoadedSpec, Operation, Pagination};

use lookup::Builders;

pub use enums::spelled_out_names;

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
    let document = progenitor::input(spec);
    let tokens = progenitor::run(&document, spec, &runtime, &module)?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor output does not parse")?;

    let mut rewrite = send::SendRewrite::new(runtime.clone(), &spec.operations);
    rewrite.visit_file_mut(&mut file);
    let builders = rewrite.finish()?;
    send::RuntimeRewrite { runtime: runtime.clone() }.visit_file_mut(&mut file);
    let type_names = lookup::type_names(&file);
    let extras = extras(spec, &builders, &file, &type_names, &runtime)?;
    enums::add_named_enums(&mut file, &spec.report.punctuation_enums)?;
    open_structs::add_open_struct_deserializers(&mut file, &runtime)?;
    file.items.extend(extras);

    let body = prettyplease::unparse(&file);
    Ok(format!("{}\n\n{body}", crate::generated_header("//")))
}

/// What the generator adds beside progenitor's output, all derived from the operation description.
fn extras(
    spec: &LoadedSpec,
    builders: &Builders,
    file: &syn::File,
    names: &BTreeSet<String>,
    runtime: &syn::Path,
) -> Result<Vec<syn::Item>> {
    let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
        impl ClientHooks<#runtime::Transport> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &OperationInfo,
            ) -> std::result::Result<(), Error<E>> {
                self.inner.add_headers(request);
                Ok(())
            }

            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                self.inner.for_method(info.operation_id).execute(request).await
            }
        }
    }];
    let mut stream_methods = Vec::new();
    for op in &spec.operations {
        if op.pagination == Pagination::None {
            continue;
        }
        let info = builders
            .for_operation(op)
            .ok_or_else(|| anyhow!("no builder was generated for paged operation `{}`", op.id))?;
        stream_methods.push(streams::stream_method(op, info, file, names, runtime)?);
    }
    if !stream_methods.is_empty() {
        items.push(syn::parse_quote! {
            impl Client {
                #(#stream_methods)*
            }
        });
    }
    items.push(round_trip::typed_round_trip(spec, builders));
    let uploads: Vec<&Operation> =
        spec.operations.iter().filter(|o| o.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart)).collect();
    let (structs, constructors): (Vec<TokenStream>, Vec<TokenStream>) =
        uploads.iter().map(|op| uploads::upload_builder(op, runtime)).unzip();
    items.push(syn::parse_quote! {
        /// Builders for the operations that send `multipart/form-data`.
        pub mod upload {
            #[allow(unused_imports)]
            use super::{types, ResponseValue};
            #(#structs)*
        }
    });
    if !constructors.is_empty() {
        items.push(syn::parse_quote! {
            impl Client {
                #(#constructors)*
            }
        });
    }
    Ok(items)
}
