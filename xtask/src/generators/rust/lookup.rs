//! Finding things in progenitor's output: the builders by operation, the types of `mod types`, fields behind
//! JSON names, setter argument types.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span};
use quote::quote;
use syn::visit_mut::VisitMut;
use toriihq_spec::Operation;

#[derive(Debug, Clone)]
pub(crate) struct BuilderInfo {
    pub builder: String,
    pub success: syn::Type,
}

/// What the send rewrite learnt, keyed by operationId.
#[derive(Debug, Default)]
pub(crate) struct Builders(BTreeMap<String, BuilderInfo>);

impl Builders {
    pub fn insert(&mut self, operation: &str, builder: String, success: syn::Type) {
        self.0.insert(operation.to_string(), BuilderInfo { builder, success });
    }

    pub fn for_operation(&self, op: &Operation) -> Option<&BuilderInfo> {
        self.0.get(&op.id)
    }
}

/// Names of the types progenitor put in `mod types`.
pub(crate) fn type_names(file: &syn::File) -> BTreeSet<String> {
    types_module(file)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    syn::Item::Enum(e) => Some(e.ident.to_string()),
                    syn::Item::Type(t) => Some(t.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn types_module(file: &syn::File) -> Option<&Vec<syn::Item>> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// As [`types_module`], to add to or rewrite what progenitor put there.
pub(crate) fn types_module_mut(file: &mut syn::File) -> anyhow::Result<&mut Vec<syn::Item>> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| anyhow::anyhow!("progenitor output has no `types` module"))
}

pub(crate) fn find_struct<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ItemStruct> {
    types_module(file)?.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// The Rust field behind a JSON property: its `#[serde(rename)]`, or its own name.
pub(crate) fn find_field<'a>(item: &'a syn::ItemStruct, json_name: &str) -> Option<&'a syn::Field> {
    item.fields.iter().find(|field| {
        let renamed = field.attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|attr| {
            let mut found = None;
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    found = Some(value.value());
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        });
        let ident = field.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_string());
        renamed.as_deref().or(ident.as_deref()) == Some(json_name)
    })
}

/// Strips `Option<…>` layers, counting them.
pub(crate) fn unwrap_options(ty: &syn::Type) -> (usize, syn::Type) {
    let mut layers = 0;
    let mut current = ty.clone();
    while let Some(inner) = generic_of(&current, "Option") {
        layers += 1;
        current = inner;
    }
    (layers, current)
}

pub(crate) fn generic_of(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

pub(crate) fn is_float(ty: &syn::Type) -> bool {
    matches!(quote!(#ty).to_string().as_str(), "f64" | "f32")
}

/// The `T` of a builder setter `fn name<V>(self, value: V) where V: TryInto<T>`.
pub(crate) fn setter_target(file: &syn::File, builder: &str, setter: &str) -> Option<syn::Type> {
    let module = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    module.iter().find_map(|item| {
        let syn::Item::Impl(block) = item else { return None };
        let syn::Type::Path(self_ty) = &*block.self_ty else { return None };
        if self_ty.path.segments.last()?.ident != builder {
            return None;
        }
        block.items.iter().find_map(|entry| {
            let syn::ImplItem::Fn(method) = entry else { return None };
            if method.sig.ident != setter {
                return None;
            }
            method.sig.generics.where_clause.as_ref()?.predicates.iter().find_map(|predicate| {
                let syn::WherePredicate::Type(bound) = predicate else { return None };
                bound.bounds.iter().find_map(|b| {
                    let syn::TypeParamBound::Trait(t) = b else { return None };
                    let last = t.path.segments.last()?;
                    if last.ident != "TryInto" {
                        return None;
                    }
                    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
                    args.args.iter().find_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    })
                })
            })
        })
    })
}

/// The element type of a list field: `Vec<T>` itself, or a generated newtype `struct Apps(pub Vec<T>)`
/// (typify's rendering of a named array schema). The flag says whether `.0` is needed.
pub(crate) fn list_item_type(file: &syn::File, ty: &syn::Type) -> Option<(syn::Type, bool)> {
    if let Some(item) = generic_of(ty, "Vec") {
        return Some((item, false));
    }
    let syn::Type::Path(path) = ty else { return None };
    let name = path.path.segments.last()?.ident.to_string();
    let newtype = find_struct(file, &name)?;
    let syn::Fields::Unnamed(fields) = &newtype.fields else { return None };
    let inner = &fields.unnamed.first()?.ty;
    generic_of(inner, "Vec").map(|item| (item, true))
}

/// Qualifies bare names of generated types with `types::`, for use outside `mod types`.
pub(crate) struct QualifyTypes<'a>(&'a BTreeSet<String>);

impl VisitMut for QualifyTypes<'_> {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, path);
        if path.qself.is_none() && path.path.leading_colon.is_none() && path.path.segments.len() == 1 {
            let name = path.path.segments[0].ident.to_string();
            if self.0.contains(&name) {
                path.path.segments.insert(0, syn::PathSegment::from(Ident::new("types", Span::call_site())));
            }
        }
    }
}

pub(crate) fn qualified(ty: &syn::Type, names: &BTreeSet<String>) -> syn::Type {
    let mut ty = ty.clone();
    QualifyTypes(names).visit_type_mut(&mut ty);
    ty
}

/// The struct behind a success type such as `types::GetAppsResponse`.
pub(crate) fn response_struct<'a>(file: &'a syn::File, success: &syn::Type) -> Option<&'a syn::ItemStruct> {
    let syn::Type::Path(path) = success else { return None };
    find_struct(file, &path.path.segments.last()?.ident.to_string())
}
