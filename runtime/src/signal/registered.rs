//! What generated code links into the registry for each event: the
//! signal's non-generic core and three functions of its payload type; and
//! `Erased`, the same pair borrowed from any signal, where the `AnySignal`
//! methods are written once.
//!
//! `&SIGNAL as &dyn AnySignal` would instantiate every `AnySignal` method
//! for every payload (and serde for it, for the JSON ones) in the crate
//! that generates the events. A registration's methods are compiled once,
//! here; per event, only decoding and the descriptor are.

use std::any::Any;

use super::any::{AnySignal, PayloadError, avro_json, check_metadata, json_to_avro, sealed};
use super::{Core, Signal};
use crate::wire::WireError;
use crate::wire::avro::{self, Avro};
use crate::wire::reflect::{self, Reflect, Ty};
use crate::{EventMetadata, SendReport};

/// A registered event: `register_event!` links one per generated signal.
/// Not a stable API.
#[doc(hidden)]
pub struct Registered {
    core: &'static Core,
    ops: &'static Ops,
}

/// Decodes an Avro payload and sends it.
type SendFn = fn(&Core, &[u8], Option<EventMetadata>, bool) -> Result<SendReport, avro::AvroError>;

/// What needs the payload type.
pub(crate) struct Ops {
    send: SendFn,
    /// Checks that bytes decode as the payload.
    check: fn(&[u8]) -> Result<(), avro::AvroError>,
    /// Encodes a payload given as `&dyn Any` (`None`: not this type).
    encode: fn(&dyn Any) -> Option<Vec<u8>>,
    /// The payload's descriptor.
    ty: fn() -> &'static Ty,
}

impl Ops {
    /// The functions of payload `P`, with `ty` its descriptor.
    pub(crate) const fn of<P: Avro + 'static>(ty: fn() -> &'static Ty) -> Self {
        Ops {
            send: send::<P>,
            check: check::<P>,
            encode: encode::<P>,
            ty,
        }
    }
}

impl Registered {
    /// The registration of `signal`.
    pub const fn new<P: Reflect + Avro + 'static>(signal: &'static Signal<P>) -> Self {
        Registered {
            core: &signal.core,
            ops: const { &Ops::of::<P>(P::ty) },
        }
    }
}

fn send<P: Avro + 'static>(
    core: &Core,
    payload: &[u8],
    metadata: Option<EventMetadata>,
    from_bus: bool,
) -> Result<SendReport, avro::AvroError> {
    let decoded: P = avro::from_slice(payload)?;
    Ok(core.send(&decoded, metadata, from_bus))
}

fn encode<P: Avro + 'static>(payload: &dyn Any) -> Option<Vec<u8>> {
    payload.downcast_ref::<P>().map(avro::to_vec)
}

fn check<P: Avro>(payload: &[u8]) -> Result<(), avro::AvroError> {
    avro::from_slice::<P>(payload).map(drop)
}

impl sealed::Sealed for Registered {
    fn erased(&self) -> Erased<'_> {
        Erased::new(self.core, self.ops)
    }
}

impl AnySignal for Registered {}

/// A signal seen through its core and payload functions: what every
/// `AnySignal` method does, for a registration and a `Signal` alike.
pub struct Erased<'a> {
    core: &'a Core,
    ops: &'static Ops,
}

impl<'a> Erased<'a> {
    pub(crate) fn new(core: &'a Core, ops: &'static Ops) -> Self {
        Erased { core, ops }
    }

    pub(crate) fn avro_schema(&self) -> Option<String> {
        reflect::avro_schema((self.ops.ty)(), self.core.event_type)
    }

    pub(crate) fn field_json(
        &self,
        payload: &[u8],
        path: &str,
    ) -> Result<Option<serde_json::Value>, WireError> {
        let event_type = self.core.event_type;
        crate::wire::reflect::field_json((self.ops.ty)(), payload, path)
            .map_err(|source| WireError::Payload { event_type, source })
    }

    pub(crate) fn event_type(&self) -> &'static str {
        self.core.event_type
    }

    pub(crate) fn name(&self) -> &'static str {
        self.core.name
    }

    pub(crate) fn major_version(&self) -> u32 {
        self.core.major_version
    }

    pub(crate) fn minor_version(&self) -> u32 {
        self.core.minor_version
    }

    pub(crate) fn is_enabled(&self) -> bool {
        self.core.is_enabled()
    }

    pub(crate) fn send_json(
        &self,
        payload: &str,
        metadata: Option<EventMetadata>,
    ) -> Result<SendReport, PayloadError> {
        let event_type = self.core.event_type;
        if let Some(m) = &metadata {
            check_metadata(event_type, m)?;
        }
        let bytes = json_to_avro(event_type, (self.ops.ty)(), payload)?;
        (self.ops.send)(self.core, &bytes, metadata, false).map_err(|e| PayloadError {
            event_type,
            path: e.path().to_owned(),
            message: e.to_string(),
        })
    }

    pub(crate) fn send_avro(
        &self,
        payload: &[u8],
        metadata: EventMetadata,
        from_bus: bool,
    ) -> Result<SendReport, WireError> {
        let event_type = self.core.event_type;
        if metadata.event_type != event_type {
            return Err(WireError::EventType {
                expected: event_type,
                found: metadata.event_type.to_string(),
            });
        }
        (self.ops.send)(self.core, payload, Some(metadata), from_bus)
            .map_err(|source| WireError::Payload { event_type, source })
    }

    pub(crate) fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError> {
        let event_type = self.core.event_type;
        // Decoding checks the bytes (and names the field that is wrong);
        // the JSON is then written from them by the descriptor walk.
        (self.ops.check)(payload).map_err(|source| WireError::Payload { event_type, source })?;
        avro_json(event_type, (self.ops.ty)(), payload)
    }

    pub(crate) fn has_field(&self, path: &str) -> bool {
        let mut ty = (self.ops.ty)();
        for name in path.split('.') {
            let record = loop {
                match ty {
                    Ty::Named(f) => ty = f(),
                    Ty::Option(inner) => ty = inner,
                    Ty::Record(r) => break *r,
                    _ => return false,
                }
            };
            match record.fields.iter().find(|f| f.name == name) {
                Some(field) => ty = field.ty,
                None => return false,
            }
        }
        !path.is_empty()
    }

    pub(crate) fn encode(&self, payload: &dyn Any) -> Option<Vec<u8>> {
        (self.ops.encode)(payload)
    }

    pub(crate) fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError> {
        json_to_avro(self.core.event_type, (self.ops.ty)(), payload)
    }
}
