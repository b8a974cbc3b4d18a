//! Structs that keep undeclared keys (custom fields) in an `extra` map get a `Deserialize` of their own.
//!
//! typify marks the map `#[serde(flatten)]`, and serde's derive then buffers every key and value of the object
//! into its private `Content` tree before handing each field its part: on a page of 1,000 users that doubled the
//! decoding time. The impl written here reads each key once, decodes a declared field straight into its type and
//! only an undeclared one into a `serde_json::Value`. `Serialize` stays derived (flattening costs nothing there).

use anyhow::{Result, anyhow, bail};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;

/// A named field as `Deserialize` must treat it.
struct Field {
    ident: Ident,
    ty: syn::Type,
    /// The key on the wire.
    key: String,
    missing: Missing,
}

/// What a field becomes when its key is absent, as serde's derive decides it.
enum Missing {
    None,
    Default,
    DefaultFrom(syn::ExprPath),
    Error,
}

/// Rewrites every struct of `mod types` that has a flattened map; `runtime` is where the generated code finds the
/// crate's runtime module.
pub(crate) fn add_open_struct_deserializers(file: &mut syn::File, runtime: &syn::Path) -> Result<()> {
    let items = super::lookup::types_module_mut(file)?;
    let mut rewritten = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        let added = match &mut item {
            syn::Item::Struct(item) if has_flattened_field(item) => Some(deserializer_for(item, runtime)?),
            _ => None,
        };
        rewritten.push(item);
        rewritten.extend(added);
    }
    *items = rewritten;
    Ok(())
}

fn has_flattened_field(item: &syn::ItemStruct) -> bool {
    item.fields.iter().any(|field| serde_words(&field.attrs).iter().any(|w| w == "flatten"))
}

/// The words of a field's `#[serde(...)]` attributes (`rename`, `flatten`, …), for a quick look.
fn serde_words(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut words = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            words.push(meta.path.get_ident().map(ToString::to_string).unwrap_or_default());
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    words
}

/// Drops `Deserialize` from the struct's derive and returns the impl that replaces it.
fn deserializer_for(item: &mut syn::ItemStruct, runtime: &syn::Path) -> Result<syn::Item> {
    let name = item.ident.clone();
    if !item.generics.params.is_empty() {
        bail!("struct `{name}` keeps undeclared keys but is generic; the generator handles plain structs only");
    }
    drop_derived_deserialize(item)?;
    let mut fields = Vec::new();
    let mut extra = None;
    for field in &item.fields {
        let ident = field.ident.clone().ok_or_else(|| anyhow!("struct `{name}` has an unnamed field"))?;
        match read_field(&name, field, &ident)? {
            Some(read) => fields.push(read),
            None if extra.is_none() => extra = Some(ident),
            None => bail!("struct `{name}` flattens two fields; only one map of undeclared keys is supported"),
        }
    }
    let extra = extra.ok_or_else(|| anyhow!("struct `{name}` has no flattened field"))?;
    let tokens = impl_tokens(&name, &fields, &extra, runtime);
    syn::parse2(tokens).map_err(|e| anyhow!("the Deserialize written for `{name}` does not parse: {e}"))
}

fn drop_derived_deserialize(item: &mut syn::ItemStruct) -> Result<()> {
    let name = item.ident.to_string();
    let mut dropped = false;
    for attr in item.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let paths = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)?;
        let kept: Punctuated<syn::Path, syn::Token![,]> = paths
            .into_iter()
            .filter(|path| {
                let is_deserialize = path.segments.last().is_some_and(|s| s.ident == "Deserialize");
                dropped |= is_deserialize;
                !is_deserialize
            })
            .collect();
        *attr = syn::parse_quote!(#[derive(#kept)]);
    }
    if !dropped {
        bail!("struct `{name}` flattens a field but does not derive Deserialize");
    }
    Ok(())
}

/// A declared field, or `None` for the flattened map of undeclared keys.
fn read_field(name: &Ident, field: &syn::Field, ident: &Ident) -> Result<Option<Field>> {
    let mut key = ident.to_string();
    let mut flatten = false;
    let mut missing = if option_inner(&field.ty).is_some() { Missing::None } else { Missing::Error };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let word = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            match word.as_str() {
                "rename" => key = meta.value()?.parse::<syn::LitStr>()?.value(),
                "flatten" => flatten = true,
                "skip_serializing_if" => {
                    meta.value()?.parse::<syn::LitStr>()?;
                }
                "default" if meta.input.peek(syn::Token![=]) => {
                    missing = Missing::DefaultFrom(meta.value()?.parse::<syn::LitStr>()?.parse()?);
                }
                "default" => missing = Missing::Default,
                other => return Err(meta.error(format!("serde attribute `{other}` is not handled"))),
            }
            Ok(())
        })
        .map_err(|e| anyhow!("field `{ident}` of `{name}`: {e}"))?;
    }
    if flatten {
        return Ok(None);
    }
    Ok(Some(Field { ident: ident.clone(), ty: field.ty.clone(), key, missing }))
}

/// How a declared field's value is read: a timestamp through the runtime's faster parser (same verdicts as
/// chrono's `Deserialize`), anything else as its type's `Deserialize` reads it.
fn value_read(ty: &syn::Type, runtime: &syn::Path) -> TokenStream {
    if is_timestamp(ty) {
        return quote!(map.next_value::<#runtime::Timestamp>()?.0);
    }
    if option_inner(ty).is_some_and(is_timestamp) {
        return quote!(map.next_value::<::std::option::Option<#runtime::Timestamp>>()?.map(|time| time.0));
    }
    quote!(map.next_value()?)
}

fn is_timestamp(ty: &syn::Type) -> bool {
    let compact: String = quote!(#ty).to_string().split_whitespace().collect();
    compact == "::chrono::DateTime<::chrono::offset::Utc>"
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|s| s.ident == "Option")?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn impl_tokens(name: &Ident, fields: &[Field], extra: &Ident, runtime: &syn::Path) -> TokenStream {
    let expecting = format!("an object (`{name}`)");
    let variants: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("Declared{i}")).collect();
    let slots: Vec<Ident> = fields.iter().map(|f| format_ident!("field_{}", f.ident)).collect();
    let keys: Vec<&String> = fields.iter().map(|f| &f.key).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
    let reads: Vec<TokenStream> = fields.iter().map(|f| value_read(&f.ty, runtime)).collect();
    let idents: Vec<&Ident> = fields.iter().map(|f| &f.ident).collect();
    let finish: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| {
            let key = &field.key;
            match &field.missing {
                Missing::None => quote!(#slot.unwrap_or(None)),
                Missing::Default => quote!(#slot.unwrap_or_default()),
                Missing::DefaultFrom(path) => quote!(#slot.unwrap_or_else(#path)),
                Missing::Error => {
                    quote!(#slot.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#key))?)
                }
            }
        })
        .collect();
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                enum Key {
                    #(#variants,)*
                    Undeclared(::std::string::String),
                }
                struct KeyVisitor;
                impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
                    type Value = Key;
                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str("a key")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, key: &str) -> ::std::result::Result<Key, E> {
                        Ok(match key {
                            #(#keys => Key::#variants,)*
                            _ => Key::Undeclared(key.to_owned()),
                        })
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for Key {
                    fn deserialize<D: ::serde::Deserializer<'de>>(
                        deserializer: D,
                    ) -> ::std::result::Result<Self, D::Error> {
                        deserializer.deserialize_identifier(KeyVisitor)
                    }
                }
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;
                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#name, A::Error> {
                        #(let mut #slots: ::std::option::Option<#types> = None;)*
                        let mut undeclared = ::serde_json::Map::new();
                        while let Some(key) = map.next_key::<Key>()? {
                            match key {
                                #(Key::#variants => {
                                    if #slots.is_some() {
                                        return Err(<A::Error as ::serde::de::Error>::duplicate_field(#keys));
                                    }
                                    #slots = Some(#reads);
                                })*
                                Key::Undeclared(key) => {
                                    undeclared.insert(key, map.next_value()?);
                                }
                            }
                        }
                        Ok(#name {
                            #(#idents: #finish,)*
                            #extra: undeclared,
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(source: &str) -> Result<String> {
        let mut file: syn::File = syn::parse_str(source)?;
        add_open_struct_deserializers(&mut file, &syn::parse_quote!(crate::__runtime))?;
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn a_struct_with_a_flattened_map_loses_derived_deserialize_and_gains_an_impl() -> Result<()> {
        let out = rewrite(
            r#"pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct User {
                    #[serde(rename = "firstName", skip_serializing_if = "::std::option::Option::is_none")]
                    pub first_name: ::std::option::Option<::std::string::String>,
                    pub id: i64,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
                #[derive(::serde::Deserialize, Clone)]
                pub struct Closed { pub id: i64 }
            }"#,
        )?;
        assert!(out.contains("#[derive(::serde::Serialize, Clone, Debug)]\n    pub struct User"), "{out}");
        assert!(out.contains("impl<'de> ::serde::Deserialize<'de> for User"), "{out}");
        assert!(out.contains("\"firstName\" => Key::Declared0"), "{out}");
        let compact: String = out.split_whitespace().collect();
        assert!(compact.contains("missing_field(\"id\""), "{out}");
        assert!(compact.contains("#[derive(::serde::Deserialize,Clone)]pubstructClosed"), "{out}");
        Ok(())
    }

    #[test]
    fn a_timestamp_field_is_read_through_the_runtimes_parser() -> Result<()> {
        let out = rewrite(
            r#"pub mod types {
                #[derive(::serde::Deserialize)]
                pub struct User {
                    pub created: ::chrono::DateTime<::chrono::offset::Utc>,
                    pub seen: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                    pub name: ::std::option::Option<::std::string::String>,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            }"#,
        )?;
        let compact: String = out.split_whitespace().collect();
        assert!(compact.contains("field_created=Some(map.next_value::<crate::__runtime::Timestamp>()?.0,)"), "{out}");
        let optional = "field_seen=Some(map.next_value::<::std::option::Option<crate::__runtime::Timestamp>,>()?.map(|time|time.0),)";
        assert!(compact.contains(optional), "{out}");
        assert!(compact.contains("field_name=Some(map.next_value()?)"), "{out}");
        Ok(())
    }

    #[test]
    fn a_serde_attribute_it_does_not_know_stops_generation() {
        let error = rewrite(
            r#"pub mod types {
                #[derive(::serde::Deserialize)]
                pub struct User {
                    #[serde(deserialize_with = "f")]
                    pub id: i64,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            }"#,
        )
        .expect_err("an unknown attribute must not be ignored");
        assert!(error.to_string().contains("deserialize_with"), "{error}");
    }
}
