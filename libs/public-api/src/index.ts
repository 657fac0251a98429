export {
  createStatusApp,
  /** @public */
  type StatusAppOptions,
} from './lib/status.app';
export {
  startStatusApi,
  /** @public */
  type StatusApiOptions,
} from './lib/status-api';
