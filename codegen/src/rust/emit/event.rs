//! An event: its payload struct and its typed signal, registered at link time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use openedx_hooks_schema::EventDef;

use super::super::{Ctx, doc, ident};
use super::record::data_struct;

pub(super) fn event(cx: &Ctx<'_>, mi: usize, e: &EventDef) -> TokenStream {
    let rt = &cx.rt;
    let payload_name = ident::payload_struct(&e.name);
    let payload = format_ident!("{}", payload_name);
    let signal = format_ident!("{}", e.name);
    let payload_docs = doc::attrs([format!(
        "The payload of [`{}`] (`{}`).",
        e.name, e.event_type
    )]);
    let payload_struct = data_struct(
        cx,
        mi,
        None,
        (&payload_name, &e.name),
        &payload,
        payload_docs,
        &e.payload,
    );
    let mut lines: Vec<String> = e.description.iter().cloned().collect();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("- Event type: `{}`", e.event_type));
    lines.push(format!(
        "- Version: major {}, minor {}",
        e.major_version, e.minor_version
    ));
    if let Some(t) = &e.trigger {
        lines.push(format!("- Trigger: `{t}`"));
    }
    if let Some(a) = &e.added {
        lines.push(format!("- Added: {a}"));
    }
    if let Some(k) = &e.key_field {
        lines.push(format!("- Event-bus key: `{}`", k.dotted()));
    }
    let signal_docs = doc::attrs(lines);
    let (event_type, name, major, minor) =
        (&e.event_type, &e.name, e.major_version, e.minor_version);
    quote! {
        #payload_struct
        impl #rt::Payload for #payload {
            const CODEC: ::core::option::Option<&'static #rt::Codec> =
                ::core::option::Option::Some(#rt::Codec::of::<Self>());
        }

        #signal_docs
        pub static #signal: #rt::Signal<#payload> = #rt::Signal::new(#event_type, #name, #major, #minor);

        #rt::register_event!(#signal);
    }
}
