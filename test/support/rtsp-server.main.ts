/**
 * An RTSP server for the tests (rtsp-streaming-server, GPL-3.0, a devDependency only), in a process of its own
 * because it cannot be stopped: args <publish port> <client port> <first RTP port>. Prints "ready".
 */
import rtsp from 'rtsp-streaming-server';

// CommonJS: the class is the module's `default` export.
const RtspServer = rtsp.default;

const [serverPort, clientPort, rtpPortStart] = process.argv.slice(2).map(Number) as [number, number, number];
const server = new RtspServer({ serverPort, clientPort, rtpPortStart, rtpPortCount: 40 });
await server.start();
console.log('ready');
