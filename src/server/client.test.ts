import { describe, expect, it } from 'vitest';
import { createClient, KindredHttpError } from './client.js';

/** A fetch that records what the client sent and answers with a fixed response (the transport is all we test here). */
function recordingFetch(status: number, body: string, contentType = 'application/json') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    calls.push({ url: String(input), init });
    return new Response(status === 204 ? null : body, { status, headers: { 'content-type': contentType } });
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

describe('createClient', () => {
  it('encodes ids and list options into the URL and sends the API key', async () => {
    const t = recordingFetch(200, '{"items":[],"personalised":false,"trace":[]}');
    const client = createClient({ baseUrl: 'http://kindred.test/', apiKey: 'k1', fetch: t.fetch });
    const result = await client.recommend('user/1 é', { count: 5, exclude: ['a', 'b'], query: 'space & time' });
    expect(result.personalised).toBe(false);
    const { url, init } = t.calls[0];
    expect(url).toBe('http://kindred.test/v1/users/user%2F1%20%C3%A9/recommendations?count=5&exclude=a%2Cb&query=space+%26+time');
    expect(init.method).toBe('GET');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer k1');
    expect(init.body).toBeUndefined();
  });

  it('posts bulk bodies as JSON under their resource key', async () => {
    const t = recordingFetch(200, '{"accepted":1,"duplicates":0}');
    const client = createClient({ baseUrl: 'http://kindred.test', fetch: t.fetch });
    const res = await client.addEvents([{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z' }]);
    expect(res).toEqual({ accepted: 1, duplicates: 0 });
    expect(t.calls[0].url).toBe('http://kindred.test/v1/events');
    expect(JSON.parse(String(t.calls[0].init.body))).toEqual({ events: [{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z' }] });
    expect((t.calls[0].init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect((t.calls[0].init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('resolves deleteItem on 204 with no body', async () => {
    const t = recordingFetch(204, '');
    await expect(createClient({ baseUrl: 'http://kindred.test', fetch: t.fetch }).deleteItem('x')).resolves.toBeUndefined();
    expect(t.calls[0].init.method).toBe('DELETE');
  });

  it('throws KindredHttpError with the API error code and details', async () => {
    const body = { error: { code: 'INVALID_INPUT', message: '/events/3/timestamp must match format "date-time"', details: { path: '/events/3/timestamp', row: 3, field: 'timestamp' } } };
    const t = recordingFetch(400, JSON.stringify(body));
    const err = await createClient({ baseUrl: 'http://kindred.test', fetch: t.fetch }).addEvents([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KindredHttpError);
    expect(err).toMatchObject({ status: 400, code: 'INVALID_INPUT', details: { row: 3, field: 'timestamp' }, message: body.error.message });
  });

  it('derives a code from the status when the answer is not ours (e.g. a proxy page)', async () => {
    const t = recordingFetch(502, '<html>Bad gateway</html>', 'text/html');
    const err = await createClient({ baseUrl: 'http://kindred.test', fetch: t.fetch }).status().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'INTERNAL', message: 'HTTP 502' });
  });
});
