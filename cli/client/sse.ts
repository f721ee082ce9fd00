/** A Server-Sent Events reader over a fetch Response (the API's `/events` stream). */

/** One SSE frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/** Yield the frames of `res` as they arrive; ends when the server closes the stream. */
export async function* readSse(res: Response): AsyncGenerator<SseFrame> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      const frame = parseBlock(block);
      if (frame) yield frame;
    }
  }
}

/** One frame from its lines; comments (`:`) and retry-only blocks give undefined. */
export function parseBlock(block: string): SseFrame | undefined {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return undefined;
  return { ...(id === undefined ? {} : { id }), event, data: data.join("\n") };
}
