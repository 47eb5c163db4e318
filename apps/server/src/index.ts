export { loadConfig, type ServerConfig, type ServerRole } from './config.ts';
export { runServer } from './main.ts';
export { type RunningServer, startServer } from './server.ts';
