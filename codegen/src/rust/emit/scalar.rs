//! A scalar: a string newtype with its conversions.

use proc_macro2::TokenStream;
use quote::quote;

use openedx_hooks_schema::{Module, ScalarDef};

use super::super::{Ctx, doc, ident};
use super::common::serde_attr;

pub(super) fn scalar(cx: &Ctx<'_>, m: &Module, s: &ScalarDef) -> TokenStream {
    let rt = &cx.rt;
    let name = ident::camel(&s.name);
    let mut lines: Vec<String> = s.description.iter().cloned().collect();
    if lines.is_empty() {
        lines.push(format!("The string type `{}`.", s.name));
    }
    if let Some(ex) = &s.example {
        lines.push(String::new());
        lines.push(format!("Example: `{ex}`"));
    }
    let docs = doc::attrs(lines);
    let serde = serde_attr(cx);
    let extra = cx.options.extra_derives();
    let attrs = cx.options.attributes(&m.name, &s.name);
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, __serde::Serialize, __serde::Deserialize, #rt::Avro)]
        #extra
        #serde
        #[serde(transparent)]
        #attrs
        pub struct #name(pub ::std::string::String);

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self(::std::string::String::from(s)))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(s: ::std::string::String) -> Self {
                Self(s)
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                Self(::std::string::String::from(s))
            }
        }
    }
}
