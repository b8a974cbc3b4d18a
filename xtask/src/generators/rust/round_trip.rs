//! The hidden `typed_round_trip`, for the test that every typed answer decodes and loses nothing.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::quote;
use toriihq_spec::LoadedSpec;

use super::lookup::Builders;

/// `typed_round_trip(operation, body)`: an answer decoded as the operation's typed struct and encoded again, so a
/// test can hold the typed decoding of every operation to "nothing lost". Operations without a typed JSON answer
/// give `None`.
pub(super) fn typed_round_trip(spec: &LoadedSpec, builders: &Builders) -> syn::Item {
    let arms: Vec<TokenStream> = spec
        .operations
        .iter()
        .filter_map(|op| {
            let schema = op.response_schema.as_ref()?;
            let success: syn::Type = match builders.for_operation(op) {
                Some(info) => info.success.clone(),
                None => syn::parse_str(&format!("types::{}", schema.to_pascal_case())).ok()?,
            };
            let id = &op.id;
            Some(quote!(#id => Some(round::<#success>(body)),))
        })
        .collect();
    if arms.is_empty() {
        return syn::parse_quote! {
            #[doc(hidden)]
            pub fn typed_round_trip(
                _operation: &str,
                _body: &[u8],
            ) -> Option<std::result::Result<::serde_json::Value, ::serde_json::Error>> {
                None
            }
        };
    }
    syn::parse_quote! {
        #[doc(hidden)]
        pub fn typed_round_trip(
            operation: &str,
            body: &[u8],
        ) -> Option<std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            fn round<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
                body: &[u8],
            ) -> std::result::Result<::serde_json::Value, ::serde_json::Error> {
                ::serde_json::to_value(::serde_json::from_slice::<T>(body)?)
            }
            match operation {
                #(#arms)*
                _ => None,
            }
        }
    }
}
