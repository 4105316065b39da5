//! zerosock sockets under tokio's `AsyncFd` (with the `std` feature, where
//! zerosock's fd traits are std's): a non-blocking TCP listener and streams
//! driven by readiness, a UDP socket, and a zerosock `Epoll` nested in
//! tokio's reactor. tokio is a dev-dependency only.

mod common;

#[cfg(not(feature = "std"))]
#[test]
fn tokio_async_fd() {
    common::skip("tokio AsyncFd needs the `std` feature (std's fd traits)");
}

#[cfg(feature = "std")]
mod with_std {
    use core::net::Ipv4Addr;
    use std::time::Duration;

    use tokio::io::Interest;
    use tokio::io::unix::AsyncFd;
    use zerosock::event::epoll::{Epoll, Event, Interest as EpollInterest};
    use zerosock::event::eventfd::{EventFd, EventFdFlags};
    use zerosock::{Errno, TcpListener, TcpStream, UdpSocket};

    /// Every test's whole run is bounded by this.
    const BOUND: Duration = Duration::from_secs(20);

    /// Registers a zerosock socket with tokio's reactor.
    fn async_fd<T: std::os::fd::AsRawFd>(inner: T, interest: Interest) -> AsyncFd<T> {
        // SAFETY: every zerosock type used here owns its fd (an `OwnedFd`
        // inside) for its whole life and always returns that same fd; the
        // AsyncFd owns the value, so the fd stays open until it is dropped.
        unsafe { AsyncFd::register_with_interest(inner, interest) }.unwrap()
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// Reads into `buf` once the fd is readable, retrying on `EAGAIN`.
    async fn read(fd: &AsyncFd<TcpStream>, buf: &mut [u8]) -> Result<usize, Errno> {
        loop {
            let mut guard = fd.readable().await.unwrap();
            match guard.try_io(|inner| inner.get_ref().read(buf).map_err(std::io::Error::from)) {
                Ok(result) => return result.map_err(|e| Errno::from_io_error(&e).unwrap()),
                Err(_would_block) => continue,
            }
        }
    }

    /// Writes all of `buf`, waiting for writability on `EAGAIN`.
    async fn write_all(fd: &AsyncFd<TcpStream>, mut buf: &[u8]) {
        while !buf.is_empty() {
            let mut guard = fd.writable().await.unwrap();
            if let Ok(result) = guard.try_io(|inner| inner.get_ref().write(buf).map_err(std::io::Error::from))
            {
                buf = &buf[result.unwrap()..];
            }
        }
    }

    #[test]
    fn tcp_echo_through_async_fd() {
        runtime().block_on(async {
            tokio::time::timeout(BOUND, async {
                let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
                listener.set_nonblocking(true).unwrap();
                let addr = listener.local_addr().unwrap();
                let listener = async_fd(listener, Interest::READABLE | Interest::WRITABLE);

                // The server: accept when readable, echo one message back.
                let server = tokio::spawn(async move {
                    let stream = loop {
                        let mut guard = listener.readable().await.unwrap();
                        match guard.try_io(|l| l.get_ref().accept().map_err(std::io::Error::from)) {
                            Ok(result) => break result.unwrap().0,
                            Err(_would_block) => continue,
                        }
                    };
                    stream.set_nonblocking(true).unwrap();
                    let stream = async_fd(stream, Interest::READABLE | Interest::WRITABLE);
                    let mut buf = [0u8; 64 * 1024];
                    let mut total = 0;
                    loop {
                        let n = read(&stream, &mut buf).await.unwrap();
                        if n == 0 {
                            break total;
                        }
                        total += n;
                        write_all(&stream, &buf[..n]).await;
                    }
                });

                // The client: a blocking connect, then non-blocking I/O.
                let client = TcpStream::connect(addr).unwrap();
                client.set_nonblocking(true).unwrap();
                let client = async_fd(client, Interest::READABLE | Interest::WRITABLE);
                // More than the socket buffers hold, so both sides must wait.
                let message: Vec<u8> = (0..4u32 << 20).map(|i| (i % 251) as u8).collect();
                let mut echoed = Vec::with_capacity(message.len());
                let mut sent = 0;
                let mut buf = vec![0u8; 64 * 1024];
                while echoed.len() < message.len() {
                    if sent < message.len() {
                        let mut guard = client.writable().await.unwrap();
                        if let Ok(r) = guard
                            .try_io(|c| c.get_ref().write(&message[sent..]).map_err(std::io::Error::from))
                        {
                            sent += r.unwrap();
                        }
                    }
                    let mut guard =
                        match tokio::time::timeout(Duration::from_millis(1), client.readable()).await {
                            Ok(guard) => guard.unwrap(),
                            Err(_) => continue,
                        };
                    if let Ok(r) = guard.try_io(|c| c.get_ref().read(&mut buf).map_err(std::io::Error::from))
                    {
                        let n = r.unwrap();
                        assert_ne!(n, 0, "early end of stream");
                        echoed.extend_from_slice(&buf[..n]);
                    }
                }
                assert!(echoed == message, "the echo differs");
                client.get_ref().shutdown(zerosock::Shutdown::Write).unwrap();
                assert_eq!(server.await.unwrap(), message.len());
            })
            .await
            .expect("bounded");
        });
    }

    #[test]
    fn udp_through_async_fd() {
        runtime().block_on(async {
            tokio::time::timeout(BOUND, async {
                let a = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
                let b = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
                a.set_nonblocking(true).unwrap();
                let to = a.local_addr().unwrap();
                let a = async_fd(a, Interest::READABLE | Interest::WRITABLE);
                let receiver = tokio::spawn(async move {
                    let mut buf = [0u8; 16];
                    loop {
                        let mut guard = a.readable().await.unwrap();
                        match guard.try_io(|s| s.get_ref().recv_from(&mut buf).map_err(std::io::Error::from))
                        {
                            Ok(r) => {
                                let (n, _) = r.unwrap();
                                break buf[..n].to_vec();
                            }
                            Err(_would_block) => continue,
                        }
                    }
                });
                tokio::time::sleep(Duration::from_millis(10)).await;
                b.send_to(b"datagram", to).unwrap();
                assert_eq!(receiver.await.unwrap(), b"datagram");
            })
            .await
            .expect("bounded");
        });
    }

    #[test]
    fn a_zerosock_epoll_nested_in_tokio() {
        // An epoll fd is itself readable when any fd in it is ready, so a
        // zerosock event loop can sit inside tokio's.
        runtime().block_on(async {
            tokio::time::timeout(BOUND, async {
                let epoll = Epoll::new().unwrap();
                let wake = std::sync::Arc::new(EventFd::new(0, EventFdFlags::NONBLOCK).unwrap());
                epoll.add(&*wake, EpollInterest::IN, 99).unwrap();
                let epoll = async_fd(epoll, Interest::READABLE);
                let waker = wake.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(20));
                    waker.write(1).unwrap();
                });
                let mut events = [Event::EMPTY; 4];
                let n = loop {
                    let mut guard = epoll.readable().await.unwrap();
                    match epoll.get_ref().wait(&mut events, Some(Duration::ZERO)).unwrap() {
                        0 => guard.clear_ready(),
                        n => break n,
                    }
                };
                assert_eq!(n, 1);
                assert_eq!(events[0].token(), 99);
                assert_eq!(wake.read().unwrap(), 1);
            })
            .await
            .expect("bounded");
        });
    }
}
