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
        When the server has keys (server.apiKeys), a person's history, the statistics over all users and the evaluation
        reports need an admin-scoped key; listings, profiles and recommendations a read-scoped one.
      </p>
    </>
  );
}
