//! How a payload type crosses the event bus, found where the type is used.
//!
//! A registry that turns an event type string and bytes into a typed
//! payload needs each payload's decoder, and a function pointer to it in the
//! crate that generates the events compiles every decoder there, used or not
//! (in release, most of that crate's build). Here the decoder is reached
//! through an associated constant, [`Payload::CODEC`], which the compiler
//! only instantiates where generic code names it: in the crate that connects
//! a receiver to the signal or sends it, as prost's decoders are compiled
//! only where a program decodes. The signal's core learns the codec on the
//! first connection; until then, nothing in the process could receive the
//! payload typed, so bytes are checked against the payload's descriptor and
//! reach no receiver.

use std::any::Any;

use super::Core;
use super::report::SendReport;
use crate::EventMetadata;
use crate::wire::avro::{self, Avro};

/// A type a [`Signal`](crate::Signal) carries.
///
/// Generated payloads, and types with `#[derive(Avro)]`, implement it with
/// their [`Codec`]: their events can then leave the process through an
/// [outbound](crate::outbound) and arrive from the bus typed. Any other type
/// implements it with the default, which keeps its signal in process.
///
/// ```
/// use openedx_hooks::{Payload, Signal};
///
/// #[derive(Debug, Clone)]
/// struct Ping(u32);
/// impl Payload for Ping {}
///
/// static PINGED: Signal<Ping> = Signal::new("org.example.demo.ping.sent.v1", "PINGED", 1, 0);
/// assert!(PINGED.send_event(Ping(1)).is_ok());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a signal payload",
    note = "`#[derive(openedx_hooks::Avro)]` implements `Payload` with the type's codec; `impl openedx_hooks::Payload for {Self} {{}}` keeps its signal in process"
)]
pub trait Payload: 'static {
    /// How the type is encoded and decoded on the bus; `None`: it is not.
    const CODEC: Option<&'static Codec> = None;
}

/// Decodes an Avro payload and sends it.
pub(crate) type SendFn =
    fn(&Core, &[u8], Option<&EventMetadata>, bool) -> Result<SendReport, avro::AvroError>;

/// Encodes a payload given as `&dyn Any` (`None`: not this type).
pub(crate) type EncodeFn = fn(&dyn Any) -> Option<Vec<u8>>;

/// The functions of one payload type that need the type: decoding bytes to
/// send them typed, and encoding a sent payload. Built by [`Codec::of`].
pub struct Codec {
    pub(crate) send: SendFn,
    pub(crate) encode: EncodeFn,
}

impl Codec {
    /// The codec of `P`: what [`Payload::CODEC`] is for an [`Avro`] type.
    ///
    /// ```
    /// use openedx_hooks::{Codec, Payload};
    ///
    /// #[derive(Debug, Clone, PartialEq)]
    /// struct Note(String);
    /// impl openedx_hooks::wire::avro::Avro for Note {
    ///     const MIN_SIZE: usize = 1;
    ///     fn encode(&self, out: &mut Vec<u8>) { self.0.encode(out) }
    ///     fn decode(r: &mut openedx_hooks::wire::avro::Reader<'_>) -> Result<Self, openedx_hooks::wire::avro::AvroError> {
    ///         String::decode(r).map(Note)
    ///     }
    /// }
    /// impl Payload for Note {
    ///     const CODEC: Option<&'static Codec> = Some(Codec::of::<Self>());
    /// }
    /// ```
    pub const fn of<P: Avro + 'static>() -> &'static Codec {
        const {
            &Codec {
                send: send::<P>,
                encode: encode::<P>,
            }
        }
    }
}

impl std::fmt::Debug for Codec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Codec").finish_non_exhaustive()
    }
}

fn send<P: Avro + 'static>(
    core: &Core,
    payload: &[u8],
    metadata: Option<&EventMetadata>,
    from_bus: bool,
) -> Result<SendReport, avro::AvroError> {
    let decoded: P = avro::from_slice(payload)?;
    // The outbound, if any, takes these bytes: nothing is encoded again.
    Ok(core.send(&decoded, super::Wire::Bytes(payload), metadata, from_bus))
}

fn encode<P: Avro + 'static>(payload: &dyn Any) -> Option<Vec<u8>> {
    payload.downcast_ref::<P>().map(avro::to_vec)
}
