// dns-packet's decoder returns the response code, which its type definitions leave out.
import 'dns-packet';

declare module 'dns-packet' {
  interface DecodedPacket {
    rcode?: string;
  }
}
