// Why did the servers not take more sessions? Asks each server for its configuration: the usual cause is
// maxClientCnxns (60 per client address by default), which drops extra connections without an error.
import { parseConnectString } from './existing.ts';
import { fourLetterWord, parseConf } from './four-letter-words.ts';

export async function diagnoseSessionRefusal(connectString: string): Promise<string> {
  const findings: string[] = [];
  for (const server of parseConnectString(connectString)) {
    const address = `${server.host}:${server.clientPort}`;
    try {
      const conf = parseConf(await fourLetterWord(server.host, server.clientPort, 'conf', 2000));
      const limit = conf['maxClientCnxns'];
      if (limit !== undefined && limit !== '0') findings.push(`${address} allows maxClientCnxns=${limit} connections per client address`);
    } catch {
      findings.push(`${address} did not answer "conf" (down, or four-letter words not whitelisted)`);
    }
  }
  if (findings.some((f) => f.includes('maxClientCnxns'))) {
    return `${findings.join('; ')}. Set maxClientCnxns=0 in the servers' zoo.cfg (the embedded ensemble and docker-compose.yml do), or run fewer clients from this host.`;
  }
  return findings.length > 0
    ? `${findings.join('; ')}.`
    : 'The servers accept unlimited connections per address (maxClientCnxns=0); the ensemble may be overloaded: try fewer clients or a longer session timeout.';
}
