"""A TLS terminator in front of a plain TCP server, for the Kafka TLS tests.

tansu 0.6.0 cannot serve TLS itself (its ``--cert`` and ``--key`` refuse to be
given together), so the tests put this in front of it: clients speak TLS to
this port, verifying its certificate; the bytes inside go to the broker as
they are, and its answers come back the same way. The broker advertises this
port, so every connection a client opens goes through here.

    python3 tls_proxy.py --listen PORT --to PORT --cert server.crt --key server.key
"""

import argparse
import asyncio
import ssl


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copies one direction until it ends, then closes the other side."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def serve(args: argparse.Namespace) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    async def connection(
        client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            broker_reader, broker_writer = await asyncio.open_connection(
                "127.0.0.1", args.to
            )
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, broker_writer), pipe(broker_reader, client_writer)
        )

    server = await asyncio.start_server(
        connection, "127.0.0.1", args.listen, ssl=context
    )
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--to", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
