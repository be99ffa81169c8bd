//! An enum of string values, with `ALL`, `as_str`, `Display` and `FromStr`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::{EnumDef, Module};

use super::super::{Ctx, doc, ident};
use super::common::serde_attr;

pub(super) fn enumeration(cx: &Ctx<'_>, m: &Module, e: &EnumDef) -> TokenStream {
    let rt = &cx.rt;
    let name = ident::camel(&e.name);
    let type_name = &e.name;
    let docs = doc::attrs([e
        .description
        .clone()
        .unwrap_or_else(|| format!("The enumeration `{}`.", e.name))]);
    let serde = serde_attr(cx);
    let variants: Vec<proc_macro2::Ident> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", ident::variant(&v.name)))
        .collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
    let value_docs = values.iter().map(|v| format!(" `{v}`"));
    let count = values.len();
    let extra = cx.options.extra_derives();
    let attrs = cx.options.attributes(&m.name, &e.name);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, __serde::Serialize, __serde::Deserialize, #rt::Avro)]
        #extra
        #serde
        #attrs
        pub enum #name {
            #(
                #[doc = #value_docs]
                #[serde(rename = #values)]
                #variants,
            )*
        }

        impl #name {
            /// Every value, in definition order.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            /// The value as sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = #rt::types::UnknownValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    #(#values => ::std::result::Result::Ok(Self::#variants),)*
                    _ => ::std::result::Result::Err(#rt::types::UnknownValue { type_name: #type_name, value: ::std::string::String::from(s) }),
                }
            }
        }
    }
}
