import express from 'express';

const port = Number(process.env.PORT ?? 3000);
const app = express();

app.get('/', (_request, response) => {
  response.type('text/plain').send('Hello from express-app\n');
});
app.get('/health', (_request, response) => {
  response.json({ status: 'ok' });
});

const server = app.listen(port, () => console.log(`express-app listening on ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
