/** API: where the interactive documentation (Swagger UI, src/server/routes/docs.ts) and the OpenAPI document are. */
export function ApiPage() {
  return (
    <>
      <h1>API</h1>
      <p>Everything this dashboard shows comes from the HTTP API; you can call the same routes yourself.</p>
      <ul>
        <li>
          <a href="/docs">Interactive API documentation (Swagger UI)</a>: try each route; set the API key with its Authorize button.
        </li>
        <li>
          <a href="/openapi.json">OpenAPI 3.1 document</a> (JSON), for client generators.
        </li>
      </ul>
      <p>
        Personal and operator data (profiles, histories, statistics, reports) need an admin-scoped key when the server
        has keys configured (server.apiKeys).
      </p>
    </>
  );
}
