import { forbiddenAddressReason, resolveWebhookTarget, WebhookTargetRefused, type HostResolver } from './webhook-target';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['fd00:ec2::254', 'unique local (fd00:ec2::254 metadata included)'],
    ['fc00::1', 'unique local (fd00:ec2::254 metadata included)'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['192.0.2.10', 'documentation'],
    ['2001:db8::1', 'documentation'],
    // IPv4 inside IPv6 is judged by the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata)'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'IETF protocol assignments (Teredo included)'],
  ])('refuses %s: %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.215.14', '64:ff9b::808:808'])('accepts the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('resolveWebhookTarget', () => {
  const policy = { allowHttp: false, allowPrivateHosts: false };
  const resolver = (table: Record<string, string[]>): HostResolver => async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('pins the first address of a host whose every address is public', async () => {
    const target = await resolveWebhookTarget('https://hooks.example.org/x', policy, resolver({ 'hooks.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] }));
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('hooks.example.org');
  });

  it('refuses a host with one private address among public ones, as not worth retrying', async () => {
    const attempt = resolveWebhookTarget('https://mixed.example.org/x', policy, resolver({ 'mixed.example.org': ['93.184.215.14', '169.254.169.254'] }));
    await expect(attempt).rejects.toThrow(new WebhookTargetRefused('the host mixed.example.org resolves to 169.254.169.254, a link-local (cloud metadata) address'));
    await expect(attempt).rejects.toMatchObject({ permanent: true });
  });

  it('refuses a host that does not resolve, and IP literals without asking the resolver', async () => {
    await expect(resolveWebhookTarget('https://gone.example.org/x', policy, resolver({}))).rejects.toThrow('the host gone.example.org does not resolve (ENOTFOUND)');
    const never: HostResolver = () => Promise.reject(new Error('not asked'));
    await expect(resolveWebhookTarget('https://[::ffff:10.0.0.1]/x', policy, never)).rejects.toThrow('the address ::ffff:a00:1 is a private address');
  });

  it('lets a development policy reach local hosts, still pinned to the resolved address', async () => {
    const target = await resolveWebhookTarget('http://localhost:8080/x', { allowHttp: true, allowPrivateHosts: true }, resolver({ localhost: ['127.0.0.1'] }));
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
  });
});
