//! The MQTT flows of the Show list, written once against the traits so the
//! same code runs on zerosock and on the std baselines: minimq 0.13 (MQTT 5
//! on embedded-io-async, connections from an embedded-nal-async
//! `TcpConnect`) and minimq 0.10 (MQTT 5 on the blocking embedded-nal
//! `TcpClientStack`). Neither client is patched: they are crates.io's.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use embedded_nal_async::TcpConnect;

use crate::common::alloc::Armed;

/// What one flow measured: messages, time, and heap operations on the
/// flow's thread while the messages went round (after connect/subscribe).
#[derive(Debug)]
pub struct Figures {
    pub messages: usize,
    #[allow(dead_code)] // read by benches/embedded_mqtt.rs
    pub elapsed: Duration,
    pub heap_ops: usize,
}

#[allow(dead_code)] // used by benches/embedded_mqtt.rs
impl Figures {
    pub fn per_second(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64()
    }
}

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("zerosock/{tag}/{}/{nanos}", std::process::id())
}

/// minimq 0.13 over `stack`: a subscriber and a publisher on the broker at
/// `addr`; one QoS 1 message checked end to end, then `n` QoS 0 messages
/// in lock step (publish one, receive it), each checked.
pub async fn minimq_async<T: TcpConnect>(stack: &T, addr: SocketAddr, n: usize, tag: &str) -> Figures
where
    T::Error: std::fmt::Debug,
{
    use minimq::{Buffers, ConfigBuilder, Publication, QoS, Session, SubscriptionOptions, TopicFilter};

    let topic = unique(tag);
    let (mut sub_rx, mut sub_tx, mut pub_rx, mut pub_tx) =
        ([0u8; 1024], [0u8; 2048], [0u8; 1024], [0u8; 2048]);
    let sub_id = format!("{tag}-sub-{}", std::process::id());
    let pub_id = format!("{tag}-pub-{}", std::process::id());
    let mut subscriber = Session::new(
        ConfigBuilder::new(Buffers::new(&mut sub_rx, &mut sub_tx))
            .client_id(&sub_id)
            .unwrap(),
    );
    let mut publisher = Session::new(
        ConfigBuilder::new(Buffers::new(&mut pub_rx, &mut pub_tx))
            .client_id(&pub_id)
            .unwrap(),
    );

    let mut sub = subscriber
        .connect(stack.connect(addr).await.unwrap())
        .await
        .unwrap();
    let topics =
        [TopicFilter::new(&topic).options(SubscriptionOptions::default().maximum_qos(QoS::AtLeastOnce))];
    let op = sub.subscribe(&topics, &[]).await.unwrap();
    for _ in 0..100 {
        if sub.is_complete(&op) {
            break;
        }
        assert!(sub.poll().await.unwrap().is_none(), "a message before the SUBACK");
    }
    assert!(sub.is_complete(&op), "no SUBACK");
    let mut publ = publisher
        .connect(stack.connect(addr).await.unwrap())
        .await
        .unwrap();

    // QoS 1, end to end.
    publ.publish(Publication::bytes(&topic, b"hello at least once").qos(QoS::AtLeastOnce))
        .await
        .unwrap();
    let got = loop {
        if let Some(msg) = sub.poll().await.unwrap() {
            break (msg.topic().to_string(), msg.payload().to_vec(), msg.qos());
        }
    };
    assert_eq!(
        got,
        (topic.clone(), b"hello at least once".to_vec(), QoS::AtLeastOnce)
    );

    // n messages at QoS 0, in lock step, counted.
    let mut payload = [0u8; 32];
    let start = Instant::now();
    let armed = Armed::new();
    for i in 0..n {
        payload[..8].copy_from_slice(&(i as u64).to_le_bytes());
        publ.publish(Publication::bytes(&topic, &payload[..]).qos(QoS::AtMostOnce))
            .await
            .unwrap();
        loop {
            if let Some(msg) = sub.poll().await.unwrap() {
                assert_eq!(msg.payload()[..8], (i as u64).to_le_bytes());
                break;
            }
        }
    }
    let heap_ops = Armed::count();
    drop(armed);
    let elapsed = start.elapsed();
    let _ = publ.disconnect().await;
    let _ = sub.disconnect().await;
    Figures {
        messages: n,
        elapsed,
        heap_ops,
    }
}

/// embedded-time's clock on std's monotonic clock, for minimq 0.10 (the
/// application supplies the clock; the client is unchanged).
pub struct MonoClock(Instant);

impl MonoClock {
    pub fn new() -> Self {
        Self(Instant::now())
    }
}

impl embedded_time::Clock for MonoClock {
    type T = u32;
    const SCALING_FACTOR: embedded_time::fraction::Fraction = embedded_time::fraction::Fraction::new(1, 1000);

    fn try_now(&self) -> Result<embedded_time::Instant<Self>, embedded_time::clock::Error> {
        Ok(embedded_time::Instant::new(self.0.elapsed().as_millis() as u32))
    }
}

/// minimq 0.10 over the blocking embedded-nal `stack`: one client
/// subscribed to its own topic, `n` QoS 0 messages published and received
/// in lock step. Its `poll` is non-blocking by design (the `nb` contract):
/// between polls that find nothing the flow sleeps 100 µs (the client's
/// loop, not the stack's), bounded by `bound`.
pub fn minimq_blocking<S>(stack: S, addr: SocketAddr, n: usize, tag: &str, bound: Duration) -> Figures
where
    S: embedded_nal::TcpClientStack,
    S::Error: std::fmt::Debug,
{
    use minimq_nal::broker::{Broker, IpBroker};
    use minimq_nal::{ConfigBuilder, Minimq, Publication, QoS};

    let topic = unique(tag);
    let id = format!("{tag}-{}", std::process::id());
    let mut broker = IpBroker::new(addr.ip());
    broker.set_port(addr.port());
    let mut buffer = [0u8; 4096];
    let mut mqtt: Minimq<'_, _, _, IpBroker> = Minimq::new(
        stack,
        MonoClock::new(),
        ConfigBuilder::new(broker, &mut buffer)
            .client_id(&id)
            .unwrap()
            .keepalive_interval(60),
    );
    let deadline = Instant::now() + bound;
    let idle = || {
        assert!(
            Instant::now() < deadline,
            "minimq 0.10 made no progress within {bound:?}"
        );
        std::thread::sleep(Duration::from_micros(100));
    };
    // Connect and subscribe.
    let mut subscribed = false;
    loop {
        mqtt.poll(|_, _, _, _| ()).unwrap();
        let client = mqtt.client();
        if client.is_connected() {
            if !subscribed {
                client.subscribe(&[topic.as_str().into()], &[]).unwrap();
                subscribed = true;
            } else if !client.subscriptions_pending() {
                break;
            }
        }
        idle();
    }
    let mut payload = [0u8; 32];
    let start = Instant::now();
    let armed = Armed::new();
    for i in 0..n {
        payload[..8].copy_from_slice(&(i as u64).to_le_bytes());
        mqtt.client()
            .publish(Publication::new(&topic, &payload[..]).qos(QoS::AtMostOnce))
            .unwrap();
        loop {
            let got = mqtt
                .poll(|_, _, msg, _| msg[..8] == (i as u64).to_le_bytes())
                .unwrap();
            match got {
                Some(true) => break,
                Some(false) => panic!("message {i} out of order"),
                None => idle(),
            }
        }
    }
    let heap_ops = Armed::count();
    drop(armed);
    Figures {
        messages: n,
        elapsed: start.elapsed(),
        heap_ops,
    }
}
