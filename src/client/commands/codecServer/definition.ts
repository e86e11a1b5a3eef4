import type { Command } from 'commander';
import { lazyHandler } from '../lazyHandler';

export function addCodecServerCommand(program: Command) {
  program
    .command('codec-server')
    .description('Serve the ETL_PAYLOAD_KEY payload codec so the Temporal UI can show decrypted payloads.')
    .option('--port <port>', 'port to listen on', '8888')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--cors-origin <origins>', 'origins of the Temporal UI allowed to call it, comma-separated', 'http://127.0.0.1:8233,http://localhost:8233')
    .action(lazyHandler(() => import('./handler'), 'codecServerCommand'));
}
