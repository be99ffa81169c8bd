//! A message's headers as bytes, through librdkafka's C API.
//!
//! rdkafka's `Headers::try_get` unwraps each header's name as UTF-8, and a
//! Kafka header's name is bytes to the broker and to C and Go clients. A
//! message with a name that is not UTF-8 panicked the consumer, and, its
//! offset never committed, again after every restart: a poison message that
//! stopped the group for good. Here names are bytes; the `ce_*` headers are
//! found among them and the others are ignored, and copies (dead letters,
//! replays) keep every header byte for byte.

// The one place this workspace calls C directly: rdkafka has no way to
// read or add a header whose name is not UTF-8.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_void};
use std::ptr;

use rdkafka::bindings as rd;
use rdkafka::message::{BorrowedHeaders, BorrowedMessage, OwnedHeaders};
use rdkafka::types::RDKafkaRespErr;

/// A header: its name and value (`None`: a null value).
pub(crate) type Header<'m> = (&'m [u8], Option<&'m [u8]>);

/// The message's headers in order.
///
/// A name holding a NUL byte is read up to it: librdkafka gives names as
/// C strings.
pub(crate) fn read<'m>(m: &'m BorrowedMessage<'_>) -> Vec<Header<'m>> {
    let mut out = Vec::new();
    each(m, |name, value| out.push((name, value)));
    out
}

/// The headers whose names are text, in order, a null value as empty: what
/// an event's metadata is read from (a `ce_*` name is text), gathered in one
/// pass with no list of every header first.
pub(crate) fn read_text<'m>(m: &'m BorrowedMessage<'_>) -> Vec<(&'m str, &'m [u8])> {
    // Ten `ce_*` headers and a few more fit without growing.
    let mut out = Vec::with_capacity(16);
    each(m, |name, value| {
        if let Ok(name) = std::str::from_utf8(name) {
            out.push((name, value.unwrap_or_default()));
        }
    });
    out
}

/// Calls `f` with each of the message's headers, in order.
fn each<'m>(m: &'m BorrowedMessage<'_>, mut f: impl FnMut(&'m [u8], Option<&'m [u8]>)) {
    let mut list: *mut rd::rd_kafka_headers_t = ptr::null_mut();
    // SAFETY: `m.ptr()` is a message the consumer keeps alive while `m` is
    // borrowed. librdkafka parses its headers once into a list the message
    // owns and frees with it, so the list outlives `'m`.
    let err = unsafe { rd::rd_kafka_message_headers(m.ptr(), &mut list) };
    if err != RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR || list.is_null() {
        return;
    }
    // SAFETY: a live list, neither freed nor changed while `m` is borrowed
    // (above).
    let count = unsafe { rd::rd_kafka_header_cnt(list) };
    for idx in 0..count {
        let (mut name, mut value, mut size) = (ptr::null(), ptr::null(), 0usize);
        // SAFETY: `idx` is below the count of a live list; librdkafka only
        // writes the three out-pointers.
        let err =
            unsafe { rd::rd_kafka_header_get_all(list, idx, &mut name, &mut value, &mut size) };
        if err != RDKafkaRespErr::RD_KAFKA_RESP_ERR_NO_ERROR || name.is_null() {
            break;
        }
        // SAFETY: librdkafka stores each name NUL-terminated and each value
        // as `size` bytes, inside the list, which lives for `'m`.
        let name = unsafe { CStr::from_ptr(name) }.to_bytes();
        let value = (!value.is_null())
            // SAFETY: as above.
            .then(|| unsafe { std::slice::from_raw_parts(value.cast::<u8>(), size) });
        f(name, value);
    }
}

/// A copy of the message's headers but those whose name `keep` refuses, as
/// headers to send: names and values byte for byte.
pub(crate) fn copy(m: &BorrowedMessage<'_>, keep: impl Fn(&[u8]) -> bool) -> OwnedHeaders {
    let from = read(m);
    let out = OwnedHeaders::new_with_capacity(from.len());
    let list = native(&out);
    for (name, value) in from.into_iter().filter(|(name, _)| keep(name)) {
        let (value_ptr, value_len) = match value {
            Some(v) => (v.as_ptr().cast::<c_void>(), v.len() as isize),
            None => (ptr::null(), 0),
        };
        // SAFETY: `list` is `out`'s live list, owned here and not shared;
        // librdkafka copies the name (`name.len()` bytes) and the value.
        unsafe {
            rd::rd_kafka_header_add(
                list,
                name.as_ptr().cast(),
                name.len() as isize,
                value_ptr,
                value_len,
            );
        }
    }
    out
}

/// The C list behind owned headers. rdkafka's `BorrowedHeaders` is that
/// list's pointer under another type (its `as_native_ptr` is private).
fn native(headers: &OwnedHeaders) -> *mut rd::rd_kafka_headers_t {
    let borrowed: &BorrowedHeaders = headers.as_borrowed();
    ptr::from_ref(borrowed).cast_mut().cast()
}
