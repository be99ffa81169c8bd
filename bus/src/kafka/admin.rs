//! Topics, status and replay on Kafka.

use std::time::Duration;

use rdkafka::Message;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::producer::{BaseRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

use crate::admin::{ConsumerStatus, GroupStatus, TopicStatus};
use crate::error::BusError;
use crate::url::BusUrl;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Creates the topics that do not exist (brokers such as tansu do not
/// create them on first use).
pub(crate) fn ensure_topics(url: &BusUrl, topics: &[&str]) -> Result<(), BusError> {
    ensure_topics_with(url, topics, 1)
}

/// Creates the topics that do not exist, with `partitions` each.
pub(crate) fn ensure_topics_with(
    url: &BusUrl,
    topics: &[&str],
    partitions: i32,
) -> Result<(), BusError> {
    let admin: AdminClient<super::Context> = super::client(url, &[])?;
    let new: Vec<NewTopic<'_>> = topics
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(1)))
        .collect();
    let runtime = admin.create_topics(&new, &AdminOptions::new().operation_timeout(Some(TIMEOUT)));
    let results = futures_block(runtime).map_err(|e| admin.inner().context().error(e))?;
    for r in results {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => {
                return Err(BusError::Kafka(format!(
                    "cannot create topic `{topic}`: {code}"
                )));
            }
        }
    }
    Ok(())
}

/// Runs a future of the admin client to completion on this thread.
fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Thread(std::thread::Thread);
    impl Wake for Thread {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(std::sync::Arc::new(Thread(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park_timeout(Duration::from_millis(50)),
        }
    }
}

pub(crate) fn status(url: &BusUrl, topic: &str) -> Result<TopicStatus, BusError> {
    let consumer: super::ConsumerClient =
        super::client(url, &[("group.id", "openedx-hooks-status")])?;
    let metadata = consumer
        .fetch_metadata(Some(topic), TIMEOUT)
        .map_err(|e| super::idle_consumer_error(&consumer, e))?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    let mut length = 0u64;
    let mut high = Vec::new();
    for p in &partitions {
        let (lo, hi) = consumer
            .fetch_watermarks(topic, *p, TIMEOUT)
            .map_err(|e| consumer.context().error(e))?;
        length += (hi - lo).max(0) as u64;
        high.push((*p, hi));
    }
    let dead_letter_stream = crate::dead_letter::stream(topic);
    let dead_letters = count(&consumer, &dead_letter_stream)?;
    let mut groups = Vec::new();
    if let Ok(list) = consumer.fetch_group_list(None, TIMEOUT) {
        for g in list.groups() {
            if g.name() == "openedx-hooks-status" {
                continue;
            }
            let member: super::ConsumerClient = super::client(url, &[("group.id", g.name())])?;
            let mut tpl = rdkafka::TopicPartitionList::new();
            for p in &partitions {
                tpl.add_partition(topic, *p);
            }
            let Ok(committed) = member.committed_offsets(tpl, TIMEOUT) else {
                continue;
            };
            let mut lag = 0u64;
            let mut any = false;
            for e in committed.elements_for_topic(topic) {
                if let rdkafka::Offset::Offset(o) = e.offset() {
                    any = true;
                    let hi = high
                        .iter()
                        .find(|(p, _)| *p == e.partition())
                        .map_or(0, |x| x.1);
                    lag += (hi - o).max(0) as u64;
                }
            }
            if !any {
                continue;
            }
            groups.push(GroupStatus {
                name: g.name().to_owned(),
                pending: 0,
                last_delivered_id: String::new(),
                entries_read: None,
                lag: Some(lag),
                consumers: g
                    .members()
                    .iter()
                    .map(|m| ConsumerStatus {
                        name: m.client_id().to_owned(),
                        pending: 0,
                        idle_ms: 0,
                    })
                    .collect(),
            });
        }
    }
    Ok(TopicStatus {
        stream: topic.to_owned(),
        length,
        first_id: None,
        last_id: None,
        entries_added: None,
        groups,
        dead_letter_stream,
        dead_letters,
    })
}

fn count(consumer: &super::ConsumerClient, topic: &str) -> Result<u64, BusError> {
    let Ok(metadata) = consumer.fetch_metadata(Some(topic), TIMEOUT) else {
        return Ok(0);
    };
    let mut n = 0;
    for t in metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
    {
        for p in t.partitions() {
            if let Ok((lo, hi)) = consumer.fetch_watermarks(topic, p.id(), TIMEOUT) {
                n += (hi - lo).max(0) as u64;
            }
        }
    }
    Ok(n)
}

/// Copies the dead-letter topic's messages (not replayed before) back into
/// the topic, without their `dead_letter_*` headers; a group of its own
/// remembers how far replays got.
pub(crate) fn replay(url: &BusUrl, topic: &str) -> Result<u64, BusError> {
    let dead_letter = crate::dead_letter::stream(topic);
    ensure_topics(url, &[&dead_letter])?;
    let consumer: super::ConsumerClient = super::client(
        url,
        &[
            ("group.id", &format!("{dead_letter}-replay")),
            ("enable.auto.commit", "false"),
            ("auto.offset.reset", "earliest"),
        ],
    )?;
    let producer: super::ProducerClient = super::client(url, &[("enable.idempotence", "true")])?;
    // Assigned, not subscribed: a group rebalance would make a replay wait
    // for the broker's session timeout. The group only keeps the offsets.
    let metadata = consumer
        .fetch_metadata(Some(&dead_letter), TIMEOUT)
        .map_err(|e| super::idle_consumer_error(&consumer, e))?;
    let mut wanted = rdkafka::TopicPartitionList::new();
    for t in metadata.topics().iter().filter(|t| t.name() == dead_letter) {
        for p in t.partitions() {
            wanted.add_partition(&dead_letter, p.id());
        }
    }
    let committed = consumer
        .committed_offsets(wanted, TIMEOUT)
        .map_err(|e| consumer.context().error(e))?;
    let mut start = rdkafka::TopicPartitionList::new();
    for e in committed.elements() {
        let offset = match e.offset() {
            rdkafka::Offset::Offset(o) => rdkafka::Offset::Offset(o),
            _ => rdkafka::Offset::Beginning,
        };
        start
            .add_partition_offset(&dead_letter, e.partition(), offset)
            .map_err(|e| super::error(url, e))?;
    }
    consumer
        .assign(&start)
        .map_err(|e| consumer.context().error(e))?;
    let mut moved = 0u64;
    let mut idle = std::time::Instant::now();
    // Until the topic stays quiet for two seconds.
    while idle.elapsed() < Duration::from_secs(2) {
        let Some(polled) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        let m = polled.map_err(|e| consumer.context().error(e))?;
        let headers = super::headers::copy(&m, |name| {
            !name.starts_with(crate::dead_letter::PREFIX.as_bytes())
        });
        let mut record: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic).headers(headers);
        if let Some(v) = m.payload() {
            record = record.payload(v);
        }
        if let Some(k) = m.key() {
            record = record.key(k);
        }
        producer
            .send(record)
            .map_err(|(e, _)| producer.context().error(e))?;
        producer
            .flush(TIMEOUT)
            .map_err(|e| producer.context().error(e))?;
        consumer
            .commit_message(&m, CommitMode::Sync)
            .map_err(|e| consumer.context().error(e))?;
        moved += 1;
        idle = std::time::Instant::now();
    }
    Ok(moved)
}
