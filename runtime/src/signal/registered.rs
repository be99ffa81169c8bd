//! What generated code links into the registry for each event: the
//! signal's non-generic core and three functions of its payload type.
//!
//! `&SIGNAL as &dyn AnySignal` would instantiate every `AnySignal` method
//! for every payload (and serde for it, for the JSON ones) in the crate
//! that generates the events. A registration's methods are compiled once,
//! here; per event, only decoding and the descriptor are.

use super::any::{AnySignal, PayloadError, avro_json, check_metadata, json_to_avro, sealed};
use super::{Core, Signal};
use crate::wire::WireError;
use crate::wire::avro::{self, Avro};
use crate::wire::reflect::{Reflect, Ty};
use crate::{EventMetadata, SendReport};

/// A registered event: `register_event!` links one per generated signal.
/// Not a stable API.
#[doc(hidden)]
pub struct Registered {
    core: &'static Core,
    ops: &'static Ops,
}

/// Decodes an Avro payload and sends it.
type SendFn =
    fn(&'static Core, &[u8], Option<EventMetadata>) -> Result<SendReport, avro::AvroError>;

/// What needs the payload type.
struct Ops {
    send: SendFn,
    /// Checks that bytes decode as the payload.
    check: fn(&[u8]) -> Result<(), avro::AvroError>,
    /// The payload's descriptor.
    ty: fn() -> &'static Ty,
}

impl Registered {
    /// The registration of `signal`.
    pub const fn new<P: Reflect + Avro + 'static>(signal: &'static Signal<P>) -> Self {
        Registered {
            core: &signal.core,
            ops: const {
                &Ops {
                    send: send::<P>,
                    check: check::<P>,
                    ty: P::ty,
                }
            },
        }
    }
}

fn send<P: Avro + 'static>(
    core: &'static Core,
    payload: &[u8],
    metadata: Option<EventMetadata>,
) -> Result<SendReport, avro::AvroError> {
    let decoded: P = avro::from_slice(payload)?;
    Ok(core.send(&decoded, metadata))
}

fn check<P: Avro>(payload: &[u8]) -> Result<(), avro::AvroError> {
    avro::from_slice::<P>(payload).map(drop)
}

impl sealed::Sealed for Registered {}

impl AnySignal for Registered {
    fn event_type(&self) -> &'static str {
        self.core.event_type
    }

    fn name(&self) -> &'static str {
        self.core.name
    }

    fn major_version(&self) -> u32 {
        self.core.major_version
    }

    fn minor_version(&self) -> u32 {
        self.core.minor_version
    }

    fn is_enabled(&self) -> bool {
        self.core.is_enabled()
    }

    fn send_json(
        &self,
        payload: &str,
        metadata: Option<EventMetadata>,
    ) -> Result<SendReport, PayloadError> {
        let event_type = self.core.event_type;
        if let Some(m) = &metadata {
            check_metadata(event_type, m)?;
        }
        let bytes = json_to_avro(event_type, (self.ops.ty)(), payload)?;
        (self.ops.send)(self.core, &bytes, metadata).map_err(|e| PayloadError {
            event_type,
            path: e.path().to_owned(),
            message: e.to_string(),
        })
    }

    fn send_avro(&self, payload: &[u8], metadata: EventMetadata) -> Result<SendReport, WireError> {
        let event_type = self.core.event_type;
        if metadata.event_type != event_type {
            return Err(WireError::EventType {
                expected: event_type,
                found: metadata.event_type.to_string(),
            });
        }
        (self.ops.send)(self.core, payload, Some(metadata))
            .map_err(|source| WireError::Payload { event_type, source })
    }

    fn avro_to_json(&self, payload: &[u8]) -> Result<serde_json::Value, WireError> {
        let event_type = self.core.event_type;
        (self.ops.check)(payload).map_err(|source| WireError::Payload { event_type, source })?;
        avro_json(event_type, (self.ops.ty)(), payload)
    }

    fn json_to_avro(&self, payload: &str) -> Result<Vec<u8>, PayloadError> {
        json_to_avro(self.core.event_type, (self.ops.ty)(), payload)
    }
}
