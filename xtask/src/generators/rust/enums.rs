//! Enums whose values differ only in punctuation, which typify cannot name.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use heck::ToPascalCase;
use proc_macro2::Ident;
use quote::{format_ident, quote};

/// Enums typify cannot name (values that differ only in punctuation) get spelled-out variant names and go into
/// `mod types`, where the replacement settings point.
pub(crate) fn add_named_enums(file: &mut syn::File, enums: &BTreeMap<String, Vec<String>>) -> Result<()> {
    if enums.is_empty() {
        return Ok(());
    }
    let module = super::lookup::types_module_mut(file)?;
    for (name, values) in enums {
        let ident = format_ident!("{}", name.to_pascal_case());
        let variants = spelled_out_names(values);
        let variant_idents: Vec<Ident> = variants.iter().map(|v| format_ident!("{v}")).collect();
        let doc = format!(" One of: {}.", values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "));
        let item: syn::File = syn::parse2(quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            pub enum #ident {
                #( #[serde(rename = #values)] #variant_idents, )*
            }

            impl #ident {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self { #( Self::#variant_idents => #values, )* }
                }
            }

            impl std::fmt::Display for #ident {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl std::str::FromStr for #ident {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
                    match value {
                        #( #values => Ok(Self::#variant_idents), )*
                        _ => Err("invalid value".into()),
                    }
                }
            }

            impl std::convert::TryFrom<&str> for #ident {
                type Error = self::error::ConversionError;
                fn try_from(value: &str) -> std::result::Result<Self, Self::Error> {
                    value.parse()
                }
            }

            impl std::convert::TryFrom<String> for #ident {
                type Error = self::error::ConversionError;
                fn try_from(value: String) -> std::result::Result<Self, Self::Error> {
                    value.parse()
                }
            }
        })?;
        module.extend(item.items);
    }
    Ok(())
}

fn word_for(c: char) -> String {
    match c {
        '/' => "slash".into(),
        '.' => "dot".into(),
        '-' => "dash".into(),
        ' ' => "space".into(),
        ',' => "comma".into(),
        ':' => "colon".into(),
        '[' => "open bracket".into(),
        ']' => "close bracket".into(),
        '(' => "open paren".into(),
        ')' => "close paren".into(),
        '+' => "plus".into(),
        '_' => "underscore".into(),
        other => format!("u{:x}", other as u32),
    }
}

/// `DD/MM/YYYY` → `DdSlashMmSlashYyyy`; a name still taken gets its position appended.
pub fn spelled_out_names(values: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let words: Vec<String> = value
                .chars()
                .map(|c| if c.is_alphanumeric() { c.to_string() } else { format!(" {} ", word_for(c)) })
                .collect();
            let mut name = words.concat().to_pascal_case();
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                name = format!("V{name}");
            }
            if !taken.insert(name.clone()) {
                name = format!("{name}{index}");
                taken.insert(name.clone());
            }
            name
        })
        .collect()
}
