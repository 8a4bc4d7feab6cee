import { exportRoute } from '../../shared/runtime/export-route';

export const handler = exportRoute();
