//! `bus send|tail|status|replay`: events on the event bus, for any catalog
//! (payloads are read and written by the catalog itself, no generated
//! code). A shell over `openedx-hooks-bus`; URLs are printed redacted.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Subcommand;
use openedx_hooks::EventMetadata;
use openedx_hooks_bus::{
    BusEvent, BusUrl, Consumer, ConsumerSettings, HandleError, Malformed, Producer,
    ProducerSettings, StartFrom, StreamReader, admin,
};
use openedx_hooks_codec as codec;
use openedx_hooks_schema::Catalog;
use openedx_hooks_schema::diag::ColorChoice;

use crate::{CatalogArgs, ExternArgs};

/// Where the bus is and which topic.
#[derive(clap::Args)]
pub struct TopicArgs {
    /// The bus (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS,
    /// `kafka://[user:password@]host:port[?librdkafka.setting=value…]`)
    #[arg(long)]
    url: String,
    /// The topic (its stream is `<prefix>-<topic>`)
    #[arg(long)]
    topic: String,
    /// The topic prefix (`EVENT_BUS_TOPIC_PREFIX`)
    #[arg(long)]
    prefix: Option<String>,
    /// PEM root certificates to trust (a private CA): for `rediss://`; on `kafka://`, TLS with it
    #[arg(long, value_name = "FILE")]
    tls_ca: Option<PathBuf>,
    /// The schema registry (`http://host:8081`), for `kafka://` URLs
    #[arg(long, value_name = "URL")]
    schema_registry: Option<String>,
}

impl TopicArgs {
    fn url(&self) -> Result<BusUrl, ExitCode> {
        let url: BusUrl = self.url.parse().map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        let url = match &self.schema_registry {
            Some(r) => url.with_schema_registry(r.clone()),
            None => url,
        };
        match &self.tls_ca {
            Some(ca) => url.with_ca_file(ca).map_err(fail),
            None => Ok(url),
        }
    }
}

/// `bus` subcommands.
#[derive(Subcommand)]
pub enum BusCommand {
    /// Send JSON payloads read on stdin (one per line) as events of one type; print each new entry id
    Send {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        #[command(flatten)]
        topic: TopicArgs,
        /// The event: its type string or its constant name
        #[arg(long)]
        event: String,
    },
    /// Print a topic's events as JSON lines: {"stream_id", "metadata", "payload"}
    Tail {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        #[command(flatten)]
        topic: TopicArgs,
        /// Read as a member of this consumer group, acknowledging what is printed
        #[arg(long)]
        group: Option<String>,
        /// The consumer's name in the group (default: host and process id)
        #[arg(long, requires = "group")]
        consumer: Option<String>,
        /// Start after this entry id (`0`: the whole stream, `$`: new entries only);
        /// without a group the default is `0`, with one where the group left off
        #[arg(long)]
        from: Option<String>,
        /// With `--group`: move the group to the first entry at or after this
        /// time (ISO 8601, `2026-11-30T10:00:00Z`): a replay
        #[arg(long, value_name = "TIME", requires = "group", conflicts_with = "from")]
        from_time: Option<String>,
        /// Exit 0 once this many events were printed
        #[arg(long)]
        count: Option<u64>,
        /// Exit 1 if that many seconds pass first
        #[arg(long)]
        timeout: Option<f64>,
    },
    /// A topic's length, first and last ids, groups (consumers, pending, lag) and dead letters
    Status {
        #[command(flatten)]
        topic: TopicArgs,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Move a topic's dead-lettered entries back into its stream (after a fix)
    Replay {
        #[command(flatten)]
        topic: TopicArgs,
    },
}

/// Runs a `bus` subcommand.
pub fn run(command: BusCommand, color: ColorChoice) -> ExitCode {
    let result = match command {
        BusCommand::Send {
            catalog: CatalogArgs { paths },
            externs,
            topic,
            event,
        } => send(&paths, &externs.paths(), &topic, &event, color),
        BusCommand::Tail {
            catalog: CatalogArgs { paths },
            externs,
            topic,
            group,
            consumer,
            from,
            from_time,
            count,
            timeout,
        } => {
            let start = match from_time.as_deref().map(str::parse::<jiff::Timestamp>) {
                Some(Ok(t)) => Some(StartFrom::Timestamp(t.as_millisecond())),
                Some(Err(e)) => return fail(format!("--from-time: {e}")),
                None => None,
            };
            let tail = Tail {
                count,
                timeout: timeout.map(Duration::from_secs_f64),
                start,
            };
            tail.run(
                &paths,
                &externs.paths(),
                &topic,
                group,
                consumer,
                from,
                color,
            )
        }
        BusCommand::Status { topic, json } => status(&topic, json),
        BusCommand::Replay { topic } => replay(&topic),
    };
    result.unwrap_or_else(|code| code)
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

fn send(
    paths: &[PathBuf],
    externs: &[PathBuf],
    topic: &TopicArgs,
    event: &str,
    color: ColorChoice,
) -> Result<ExitCode, ExitCode> {
    let catalog = crate::load_valid(paths, externs, color)?;
    let def = crate::payload::find(&catalog, event)?;
    let schema = openedx_hooks_codegen::avro_schema(&catalog, def).to_string();
    let url = topic.url()?;
    let mut settings = ProducerSettings::new(url);
    settings.prefix = topic.prefix.clone();
    // The CLI waits for every send: let it queue what stdin holds.
    let settings = settings.queue(10_000, Duration::from_secs(60));
    let producer = Producer::new(settings).map_err(fail)?;
    let mut pending = Vec::new();
    let mut failed = false;
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|e| fail(format!("cannot read stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let payload = match serde_json::from_str(&line) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: line {}: not JSON: {e}", n + 1);
                failed = true;
                continue;
            }
        };
        match codec::encode(&catalog, def, &payload) {
            Ok(avro) => {
                let meta = EventMetadata::new(def.event_type.clone(), def.minor_version);
                // Kafka keys the message by the catalog's key field; the
                // normalized payload has it even when defaulted.
                let key_path = def.key_field.as_ref().map(|k| k.dotted());
                let normal = codec::decode(&catalog, def, &avro).unwrap_or_default();
                let key_value = key_path
                    .as_deref()
                    .and_then(|p| p.split('.').try_fold(&normal, |v, n| v.get(n)));
                let key = key_path.as_deref().zip(key_value);
                let delivery = producer
                    .send_described(&topic.topic, &BusEvent::new(meta, avro), &schema, key)
                    .map_err(fail)?;
                pending.push((n + 1, delivery));
            }
            Err(e) => {
                eprintln!(
                    "error: line {}: invalid payload for {}: {e}",
                    n + 1,
                    def.event_type
                );
                failed = true;
            }
        }
    }
    for (line, delivery) in pending {
        match delivery.wait() {
            Ok(id) => outln!("{id}"),
            Err(e) => {
                eprintln!("error: line {line}: not sent: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Tail {
    count: Option<u64>,
    timeout: Option<Duration>,
    /// `--from-time`, for a group.
    start: Option<StartFrom>,
}

/// Prints events as JSON lines; shared by the group and the plain tail.
struct Printer<'c> {
    catalog: &'c Catalog,
    printed: AtomicU64,
    want: Option<u64>,
    done: AtomicBool,
    out: Mutex<()>,
}

impl Printer<'_> {
    /// Prints the event, or says on stderr why it cannot be read.
    fn print(&self, event: &BusEvent) -> Result<(), Malformed> {
        let event_type = &*event.metadata.event_type;
        let Some((_, def)) = self.catalog.event_by_type(event_type) else {
            let m = Malformed::new(format!("the catalog has no event of type `{event_type}`"));
            self.malformed(event.stream_id.as_deref(), &m);
            return Err(m);
        };
        let payload = match codec::decode(self.catalog, def, &event.payload) {
            Ok(p) => p,
            Err(e) => {
                let m = Malformed::new(format!("invalid payload for {event_type}: {e}"));
                self.malformed(event.stream_id.as_deref(), &m);
                return Err(m);
            }
        };
        let line = serde_json::json!({
            "stream_id": event.stream_id,
            "metadata": event.metadata,
            "payload": payload,
        });
        let _lock = self.out.lock().unwrap_or_else(|e| e.into_inner());
        outln!("{line}");
        let printed = self.printed.fetch_add(1, Ordering::SeqCst) + 1;
        if self.want.is_some_and(|w| printed >= w) {
            self.done.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    fn malformed(&self, stream_id: Option<&str>, m: &Malformed) {
        eprintln!("error: entry {}: {m}", stream_id.unwrap_or("?"));
    }
}

impl Tail {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        paths: &[PathBuf],
        externs: &[PathBuf],
        topic: &TopicArgs,
        group: Option<String>,
        consumer: Option<String>,
        from: Option<String>,
        color: ColorChoice,
    ) -> Result<ExitCode, ExitCode> {
        let catalog = crate::load_valid(paths, externs, color)?;
        let url = topic.url()?;
        let printer = Printer {
            catalog: &catalog,
            printed: AtomicU64::new(0),
            want: self.count,
            done: AtomicBool::new(self.count == Some(0)),
            out: Mutex::new(()),
        };
        let deadline = self.timeout.map(|t| Instant::now() + t);
        match group {
            Some(group) => self.group(&printer, url, topic, group, consumer, from, deadline),
            None => self.plain(
                &printer,
                &url,
                topic,
                from.as_deref().unwrap_or("0"),
                deadline,
            ),
        }
    }

    fn finished(&self, printer: &Printer<'_>) -> ExitCode {
        if printer.done.load(Ordering::SeqCst) || self.count.is_none() {
            ExitCode::SUCCESS
        } else {
            // The timeout came first.
            ExitCode::from(1)
        }
    }

    fn plain(
        &self,
        printer: &Printer<'_>,
        url: &BusUrl,
        topic: &TopicArgs,
        from: &str,
        deadline: Option<Instant>,
    ) -> Result<ExitCode, ExitCode> {
        let mut reader =
            StreamReader::new(url, topic.prefix.as_deref(), &topic.topic, from).map_err(fail)?;
        let stop = stop_flag()?;
        while !printer.done.load(Ordering::SeqCst) && !stop.load(Ordering::SeqCst) {
            let block = match deadline {
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => left.min(Duration::from_millis(500)),
                    _ => break,
                },
                None => Duration::from_millis(500),
            };
            let left = printer.want.map_or(100, |w| {
                (w - printer.printed.load(Ordering::SeqCst)).min(100)
            });
            for entry in reader.next_events(left as usize, block).map_err(fail)? {
                match entry {
                    Ok(event) => {
                        let _ = printer.print(&event);
                    }
                    Err((id, m)) => printer.malformed(Some(&id), &m),
                }
            }
        }
        Ok(self.finished(printer))
    }

    #[allow(clippy::too_many_arguments)]
    fn group(
        &self,
        printer: &Printer<'_>,
        url: BusUrl,
        topic: &TopicArgs,
        group: String,
        consumer: Option<String>,
        from: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<ExitCode, ExitCode> {
        let mut settings = ConsumerSettings::new(url, topic.topic.clone(), group);
        settings.prefix = topic.prefix.clone();
        if let Some(c) = consumer {
            settings = settings.consumer(c);
        }
        settings.start = match (&self.start, from.as_deref()) {
            (Some(start), _) => start.clone(),
            (None, None) => StartFrom::Resume,
            (None, Some("$")) => StartFrom::Latest,
            (None, Some(id)) => StartFrom::Id(id.to_owned()),
        };
        // Read as much as may be printed, so that no more is held pending.
        let batch = printer.want.map_or(100, |w| w.clamp(1, 100) as usize);
        let settings = settings.reads(batch, Duration::from_millis(200));
        let consumer = Consumer::new(settings).map_err(fail)?;
        consumer.stop_on_signals().map_err(fail)?;
        let stop = consumer.stop_handle();
        let handler = |event: &BusEvent| -> Result<(), HandleError> {
            printer.print(event)?;
            if printer.done.load(Ordering::SeqCst) {
                stop.stop();
            }
            Ok(())
        };
        let watch = consumer.stop_handle();
        std::thread::scope(|s| {
            if let Some(deadline) = deadline {
                s.spawn(move || {
                    while !watch.is_stopped() {
                        if Instant::now() >= deadline {
                            watch.stop();
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                });
            }
            let result = consumer.run(&handler);
            // Ends the deadline watcher too.
            consumer.stop_handle().stop();
            result
        })
        .map_err(fail)?;
        Ok(self.finished(printer))
    }
}

/// A flag SIGTERM and SIGINT set.
fn stop_flag() -> Result<std::sync::Arc<AtomicBool>, ExitCode> {
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, std::sync::Arc::clone(&flag)).map_err(fail)?;
    }
    Ok(flag)
}

fn status(topic: &TopicArgs, json: bool) -> Result<ExitCode, ExitCode> {
    let url = topic.url()?;
    let s = admin::status(&url, topic.prefix.as_deref(), &topic.topic).map_err(fail)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&s).map_err(fail)?);
        return Ok(ExitCode::SUCCESS);
    }
    let id = |i: &Option<String>| i.clone().unwrap_or_else(|| "-".into());
    outln!("bus: {url}");
    outln!(
        "stream {}: {} entries, first {}, last {}{}",
        s.stream,
        s.length,
        id(&s.first_id),
        id(&s.last_id),
        s.entries_added
            .map(|n| format!(", {n} added in all"))
            .unwrap_or_default()
    );
    if s.groups.is_empty() {
        outln!("no consumer group");
    }
    for g in &s.groups {
        outln!(
            "group {}: {} consumers, {} pending, lag {}, last delivered {}",
            g.name,
            g.consumers.len(),
            g.pending,
            g.lag
                .map_or_else(|| "unknown".to_owned(), |l| l.to_string()),
            g.last_delivered_id
        );
        for c in &g.consumers {
            outln!(
                "  consumer {}: {} pending, idle {} ms",
                c.name,
                c.pending,
                c.idle_ms
            );
        }
    }
    outln!(
        "dead letters ({}): {}",
        s.dead_letter_stream,
        s.dead_letters
    );
    Ok(ExitCode::SUCCESS)
}

fn replay(topic: &TopicArgs) -> Result<ExitCode, ExitCode> {
    let url = topic.url()?;
    let moved = admin::replay(&url, topic.prefix.as_deref(), &topic.topic).map_err(fail)?;
    let stream = openedx_hooks_bus::stream_name(topic.prefix.as_deref(), &topic.topic);
    outln!("moved {moved} entries from {stream}-dead-letter back to {stream}");
    Ok(ExitCode::SUCCESS)
}
