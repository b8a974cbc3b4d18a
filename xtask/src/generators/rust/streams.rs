//! `<operation>_stream`: every item of a paged list, one page after another, for each paging kind.

use std::collections::BTreeSet;

use anyhow::{Result, anyhow};
use heck::ToSnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use toriihq_spec::{Operation, Pagination};

use super::lookup::{
    BuilderInfo, find_field, is_float, list_item_type, qualified, response_struct, setter_target, unwrap_options,
};

pub(super) fn stream_method(
    op: &Operation,
    info: &BuilderInfo,
    file: &syn::File,
    names: &BTreeSet<String>,
    runtime: &syn::Path,
) -> Result<TokenStream> {
    let response = response_struct(file, &info.success)
        .ok_or_else(|| anyhow!("`{}`: the response of a paged list is not a struct", op.id))?;
    let builder = format_ident!("{}", info.builder);
    let operation = format_ident!("{}", op.snake_name);
    let operation_id = op.id.as_str();
    let method = format_ident!("{}_stream", op.snake_name);
    let field = |json: &str| {
        find_field(response, json).ok_or_else(|| anyhow!("`{}`: no field `{json}` in the response", op.id))
    };
    let page_fetch = match &op.pagination {
        Pagination::Cursor { cursor_param, next_cursor_field, .. } => {
            // The cursor is read from the raw page (see `cursor_stream_ahead`); the field must still be declared.
            field(next_cursor_field)?;
            let setter = format_ident!("{}", cursor_param.to_snake_case());
            PageFetch::Cursor { setter, next_key: next_cursor_field.clone() }
        }
        Pagination::ScimOffset { start_param, total_field, .. } => {
            let total = field(total_field)?;
            let total_ident = total.ident.clone().expect("named field");
            let (layers, total_type) = unwrap_options(&total.ty);
            let to_i64 = if is_float(&total_type) { quote!(Some(t as i64)) } else { quote!(i64::try_from(t).ok()) };
            let total_value = match layers {
                0 => quote!({ let t = page.#total_ident; #to_i64 }),
                _ => quote!(page.#total_ident.and_then(|t| #to_i64)),
            };
            let setter = format_ident!("{}", start_param.to_snake_case());
            let start_value = number_for(file, info, &setter, quote!(start));
            PageFetch::Scim { total_value, setter, start_value }
        }
        Pagination::Offset { offset_param, .. } => {
            let setter = format_ident!("{}", offset_param.to_snake_case());
            PageFetch::Offset { offset_value: number_for(file, info, &setter, quote!(offset)), setter }
        }
        Pagination::None => unreachable!(),
    };
    let mut item_type = None;
    let mut candidates = Vec::new();
    for json in op.pagination.items_fields() {
        let items = field(json)?;
        let items_ident = items.ident.clone().expect("named field");
        let (option_layers, list_type) = unwrap_options(&items.ty);
        let (this_type, newtype) =
            list_item_type(file, &list_type).ok_or_else(|| anyhow!("`{}`: `{json}` is not a list", op.id))?;
        item_type.get_or_insert(this_type);
        let unwrap_newtype = if newtype { quote!(.0) } else { quote!() };
        candidates.push(match option_layers {
            0 => (quote!(page.#items_ident #unwrap_newtype), false),
            _ => (quote!(page.#items_ident.map(|list| list #unwrap_newtype)), true),
        });
    }
    let item_type = qualified(&item_type.ok_or_else(|| anyhow!("`{}`: a paged list without items", op.id))?, names);
    // The items come from the first of the list's keys the page has (one key for all but a few lists).
    let items_value = match candidates.as_slice() {
        [(only, false)] => only.clone(),
        [(only, true)] => quote!(#only.unwrap_or_default()),
        many => {
            let options =
                many.iter().map(|(list, optional)| if *optional { list.clone() } else { quote!(Some(#list)) });
            quote!([#(#options),*].into_iter().flatten().next().unwrap_or_default())
        }
    };
    let doc = format!(
        " Every item of `{}` (`{} {}`), page after page.\n\n `configure` sets the request's parameters and runs for \
         every page, so each page is asked for with the same filters.",
        op.id, op.method, op.path
    );
    let body = match page_fetch {
        PageFetch::Scim { total_value, setter, start_value } => quote! {
            #runtime::paging::offset_stream(move |start: u64| {
                let request = configure(self.#operation()).#setter(#start_value);
                async move {
                    let page = request.send().await?;
                    Ok((#items_value, #total_value))
                }
            })
        },
        PageFetch::Offset { setter, offset_value } => quote! {
            #runtime::paging::limit_offset_stream(move |offset: u64| {
                let request = configure(self.#operation()).#setter(#offset_value);
                async move {
                    let page = request.send().await?;
                    Ok(#items_value)
                }
            })
        },
        PageFetch::Cursor { setter, next_key } => {
            let success = &info.success;
            let items_keys = op.pagination.items_fields();
            quote! {
                #runtime::paging::cursor_stream_ahead(
                    #operation_id,
                    #runtime::page_summary::PageKeys { items: &[#(#items_keys),*], next: Some(#next_key) },
                    move |cursor: Option<String>| {
                        let mut request = configure(self.#operation());
                        if let Some(cursor) = cursor {
                            request = request.#setter(cursor);
                        }
                        request.send_body()
                    },
                    |page: #success| #items_value,
                )
            }
        }
    };
    Ok(quote! {
        #[doc = #doc]
        pub fn #method<'a, F>(&'a self, configure: F) -> #runtime::BoxStream<'a, #runtime::Result<#item_type>>
        where
            F: Fn(builder::#builder<'a>) -> builder::#builder<'a> + Send + Sync + 'a,
        {
            #body
        }
    })
}

/// How a paged list's stream asks for the next page and reads where it is.
enum PageFetch {
    Cursor { setter: Ident, next_key: String },
    Scim { total_value: TokenStream, setter: Ident, start_value: TokenStream },
    Offset { offset_value: TokenStream, setter: Ident },
}

/// A position (`u64`) as the builder's setter takes it: as is, or as `f64` where the spec types it `number`.
fn number_for(file: &syn::File, info: &BuilderInfo, setter: &Ident, value: TokenStream) -> TokenStream {
    match setter_target(file, &info.builder, &setter.to_string()) {
        Some(target) if is_float(&target) => quote!(#value as f64),
        _ => value,
    }
}
