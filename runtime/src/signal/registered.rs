//! What generated code links into the registry for each event: the
//! signal's non-generic core and its payload's descriptor; and `Erased`,
//! the same pair borrowed from any signal, where the `AnySignal` methods
//! are written once.
//!
//! `&SIGNAL as &dyn AnySignal` would instantiate every `AnySignal` method
//! for every payload (and serde for it, for the JSON ones) in the crate
//! that generates the events. A registration's methods are compiled once,
//! here; per event, only the descriptor is. Decoding is the payload's
//! codec, learned where the payload is received (`codec`).

use super::any::{AnySignal, PayloadError, avro_json, check_metadata, json_to_avro, sealed};
use super::codec::Codec;
use super::{Core, Signal, Wire};
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

/// What needs the payload type.
pub(crate) struct Ops {
    /// The payload's descriptor.
    ty: fn() -> &'static Ty,
    /// Its codec when known where the ops are built (a `Signal<P>`); a
    /// registration's is learned by the core (see `codec`).
    codec: Option<&'static Codec>,
}

impl Ops {
    /// The functions of payload `P`, with `ty` its descriptor.
    pub(crate) const fn of<P: Avro + 'static>(ty: fn() -> &'static Ty) -> Self {
        Ops {
            ty,
            codec: Some(Codec::of::<P>()),
        }
    }
}

impl Registered {
    /// The registration of `signal`: its core and its payload's descriptor,
    /// nothing that would compile the payload's decoder here.
    pub const fn new<P: Reflect + 'static>(signal: &'static Signal<P>) -> Self {
        Registered {
            core: &signal.core,
            ops: const {
                &Ops {
                    ty: P::ty,
                    codec: None,
                }
            },
        }
    }
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

    pub(crate) fn field_avro<'b>(
        &self,
        payload: &'b [u8],
        path: &str,
    ) -> Result<Option<&'b [u8]>, WireError> {
        let event_type = self.core.event_type;
        crate::wire::reflect::field_avro((self.ops.ty)(), payload, path)
            .map(|found| found.map(|(_, bytes)| bytes))
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
        self.send_bytes(&bytes, metadata.as_ref(), false)
            .map_err(|e| PayloadError {
                event_type,
                path: e.path().to_owned(),
                message: e.to_string(),
            })
    }

    /// Sends Avro bytes: decoded by the payload's codec when the process
    /// receives the payload typed; else checked against the descriptor (the
    /// same errors) and sent to no receiver but the outbound.
    fn send_bytes(
        &self,
        payload: &[u8],
        metadata: Option<&EventMetadata>,
        from_bus: bool,
    ) -> Result<SendReport, avro::AvroError> {
        // `#[receiver]` functions connect (and teach the codec) first.
        self.core.install_registered();
        match self.ops.codec.or_else(|| self.core.codec()) {
            Some(codec) => (codec.send)(self.core, payload, metadata, from_bus),
            None => {
                reflect::check((self.ops.ty)(), payload)?;
                Ok(self
                    .core
                    .send(&(), Wire::Bytes(payload), metadata, from_bus))
            }
        }
    }

    pub(crate) fn send_avro(
        &self,
        payload: &[u8],
        metadata: &EventMetadata,
        from_bus: bool,
    ) -> Result<SendReport, WireError> {
        let event_type = self.core.event_type;
        if metadata.event_type != event_type {
            return Err(WireError::EventType {
                expected: event_type,
                found: metadata.event_type.to_string(),
            });
        }
        self.send_bytes(payload, Some(metadata), from_bus)
            .map_err(|source| WireError::Payload { event_type, source })
    }

    pub(crate) fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError> {
        let event_type = self.core.event_type;
        // The descriptor check refuses what decoding would (naming the
        // field that is wrong); the JSON is then written from the bytes.
        reflect::check((self.ops.ty)(), payload)
            .map_err(|source| WireError::Payload { event_type, source })?;
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

    pub(crate) fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError> {
        json_to_avro(self.core.event_type, (self.ops.ty)(), payload)
    }
}
