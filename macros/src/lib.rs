//! Procedural macros of openedx-hooks.
//!
//! Thin shells: `#[receiver]` and `#[pipeline_step]` generate a link-time
//! registration,
//! `#[derive(Avro)]` the event bus encoding of a type, and
//! `include_catalog!` runs the same [`Builder`] as `build.rs` scripts and
//! parses its output. Problems become spanned `compile_error!`s, never panics.
//! They own no catalog logic of their own (that is `openedx-hooks-codegen`).
//!
//! [`Builder`]: https://docs.rs/openedx-hooks-codegen/latest/openedx_hooks_codegen/struct.Builder.html

use proc_macro::TokenStream;

mod avro;
#[cfg(feature = "catalog")]
mod catalog;
mod receiver;

/// Registers a function as a receiver of a signal at link time, so a plugin
/// crate connects without any change to the code that sends the event.
///
/// ```ignore
/// #[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
/// fn on_registration(event: &StudentRegistrationCompleted, meta: &EventMetadata) -> Result<(), BoxError> {
///     Ok(())
/// }
/// ```
///
/// The receiver is connected on the signal's first send, under the path
/// `crate::module::on_registration`, which [`Config::disabled_receivers`]
/// can name to switch it off.
///
/// [`Config::disabled_receivers`]: https://docs.rs/openedx-hooks/latest/openedx_hooks/struct.Config.html
#[proc_macro_attribute]
pub fn receiver(attr: TokenStream, item: TokenStream) -> TokenStream {
    match receiver::expand(&receiver::RECEIVER, attr.into(), item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Registers a function as a step of a filter's pipeline at link time,
/// under its path (`crate::module::function`), which a filters
/// configuration names to put it in the pipeline.
///
/// ```ignore
/// #[openedx_hooks::pipeline_step(COURSE_ENROLLMENT_STARTED)]
/// fn refuse_closed(args: &CourseEnrollmentStarted, cx: &StepContext<'_>) -> StepResult<CourseEnrollmentStarted, Exception> {
///     Ok(Flow::Keep)
/// }
/// ```
#[proc_macro_attribute]
pub fn pipeline_step(attr: TokenStream, item: TokenStream) -> TokenStream {
    match receiver::expand(&receiver::PIPELINE_STEP, attr.into(), item.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Compiles an event catalog in place: `openedx_hooks::include_catalog!("events/")`
/// expands to the same code as `openedx-hooks generate` and the `build.rs`
/// `Builder`, one Rust module per catalog module.
///
/// Paths are relative to the crate's `Cargo.toml` directory. The crate is
/// rebuilt when a file read changes (each is tracked with `include_bytes!`);
/// a file *added* to a directory is only seen on the next rebuild, which is
/// what the `build.rs` `Builder` is for. Settings, after the paths:
///
/// ```ignore
/// openedx_hooks::include_catalog!(
///     "events/",
///     runtime_crate = "::openedx_hooks",
///     derive = "::schemars::JsonSchema",
///     type_attribute("webhooks.DeliveryFailure", "#[non_exhaustive]"),
///     extern_catalog("../openedx-events/events", "::openedx_events"),
///     extern_module("learning", "::openedx_events::learning"),
///     host_type("learning.User", "::my_service::User"),
/// );
/// ```
///
/// A catalog error becomes one `compile_error!` per diagnostic, on the path,
/// with the YAML `file:line:column` and snippet. Warnings are not shown
/// (stable Rust has no way to emit them): run `openedx-hooks check`.
#[cfg(feature = "catalog")]
#[proc_macro]
pub fn include_catalog(input: TokenStream) -> TokenStream {
    match catalog::expand(input.into()) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Derives `openedx_hooks::wire::avro::Avro`, the event bus's binary encoding:
/// a struct is a record (fields in order, `#[serde(rename)]` names in error
/// paths), a one-field tuple struct is its field, and an enum of unit
/// variants is a string (its serde names). Generated payloads derive it.
///
/// ```ignore
/// #[derive(openedx_hooks::Avro)]
/// struct Course { key: String, seats: Option<i64> }
/// ```
///
/// `#[avro(crate = "::my::hooks")]` names a re-exported runtime.
#[proc_macro_derive(Avro, attributes(avro))]
pub fn derive_avro(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match avro::expand(input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}
