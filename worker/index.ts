export default {
  async fetch(): Promise<Response> {
    return new Response('edgress worker not built yet', { status: 503 });
  },
} satisfies ExportedHandler;
