//! A bare librdkafka consumer assigned a topic's partition 0 from its first
//! message, outside any group's offsets: how the Kafka tests read what was
//! stored, byte for byte, and the Kafka bench's anchor.

use rdkafka::consumer::{BaseConsumer, Consumer as _};

/// The consumer; `group` names it only (nothing is committed).
pub fn from_start(bootstrap: &str, group: &str, topic: &str) -> BaseConsumer {
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("a consumer");
    // Assigned, not subscribed: no group join to wait for on tansu.
    let mut list = rdkafka::TopicPartitionList::new();
    list.add_partition_offset(topic, 0, rdkafka::Offset::Beginning)
        .expect("partition 0");
    consumer.assign(&list).expect("assigned");
    consumer
}
