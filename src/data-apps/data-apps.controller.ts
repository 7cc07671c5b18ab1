import { BodyExample } from '../common/http/body-example.decorator.js';
import { AdminUser } from '../common/http/access.decorators.js';
import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorError } from '../common/connector.error.js';
import type { Page } from '../common/page.js';
import type { JsonValue } from '../common/json.js';
import { DataAppRegistry } from './data-app.registry.js';
import { DataAppSupervisor, type AppStatus } from './data-app.supervisor.js';
import { OutputHistoryQueryDto, WindowQueryDto } from './dto/data-app-query.dto.js';
import { OutputStore, type OutputEntry, type OutputView } from './output.store.js';
import { EdgeStore } from './store/edge.store.js';

interface WindowView {
  id: number;
  asset: string;
  channel: string;
  at: string;
  samples: number;
  sampleRateHz: number;
  missing: number;
  rawKept: boolean;
  indicators: JsonValue;
}

function ms(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : new Date(iso).getTime();
}

/**
 * The data apps' lifecycle (as a device manager does it for containers), their configuration, and what they
 * produced: output values, and the edge store's windows with their indicators and raw samples.
 */
const STATUS =
  'name, title, state (stopped | starting | running | failed), since, desired, lastError, failures, restarts, nextRestart, outputs (name, kind, emitted), counters, sources (per sensor: state, since, lastError)';

@ApiTags('data apps')
@ApiBasicAuth()
@ApiNotFoundResponse({ description: 'no data app (or output, window) of that name' })
@Controller('api/apps')
export class DataAppsController {
  constructor(
    private readonly supervisor: DataAppSupervisor,
    private readonly registry: DataAppRegistry,
    private readonly outputs: OutputStore,
    private readonly edge: EdgeStore,
  ) {}

  @Get()
  @ApiOkResponse({ description: `an array of: ${STATUS}` })
  @ApiOperation({ summary: 'Every data app with its state (stopped, starting, running, failed), since when, last error and counters' })
  list(): AppStatus[] {
    return this.supervisor.list();
  }

  @ApiOperation({ summary: 'One data app: state, configuration, per-sensor state and counters' })
  @Get(':name')
  @ApiOkResponse({ description: `${STATUS}, and config` })
  get(@Param('name') name: string): AppStatus & { config: unknown } {
    return { ...this.supervisor.get(name), config: this.supervisor.config(name) };
  }

  @ApiOperation({ summary: 'One data app’s configuration' })
  @Get(':name/config')
  config(@Param('name') name: string): unknown {
    this.supervisor.get(name);
    return this.supervisor.config(name);
  }

  @BodyExample(undefined, {"assets": []}, 'the app’s configuration (README: each app’s format); the example is the vibration app with no pump')
  @Put(':name/config')
  @ApiOkResponse({ description: STATUS })
  @ApiBadRequestResponse({ description: 'the configuration is not valid: the message names each field (config.assets[0].plc.port: ...)' })
  @ApiOperation({ summary: 'Replaces the configuration (checked: a 400 names the field); a running app restarts with it' })
  configure(@Param('name') name: string, @Body() body: unknown): Promise<AppStatus> {
    return this.supervisor.configure(name, body);
  }

  @ApiOperation({ summary: 'Starts a data app (and keeps it running across restarts)' })
  @Post(':name/start')
  @HttpCode(200)
  @ApiOkResponse({ description: STATUS })
  start(@Param('name') name: string): Promise<AppStatus> {
    return this.supervisor.start(name);
  }

  @ApiOperation({ summary: 'Stops a data app (and keeps it stopped across restarts)' })
  @Post(':name/stop')
  @HttpCode(200)
  @ApiOkResponse({ description: STATUS })
  stop(@Param('name') name: string): Promise<AppStatus> {
    return this.supervisor.stop(name);
  }

  @ApiOperation({ summary: 'Restarts a data app' })
  @Post(':name/restart')
  @HttpCode(200)
  @ApiOkResponse({ description: STATUS })
  restart(@Param('name') name: string): Promise<AppStatus> {
    return this.supervisor.restart(name);
  }

  @BodyExample(undefined, { asset: 'pump-1', reason: 'drive-end bearing replaced' }, 'the action’s arguments; the example asks the vibration app’s rebaseline')
  @Post(':name/actions/:action')
  @HttpCode(200)
  @ApiOkResponse({ description: 'what the action did (the vibration app’s rebaseline: asset, channels, learning)' })
  @ApiBadRequestResponse({ description: 'bad arguments: the message names the field (body.asset: ...)' })
  @ApiOperation({
    summary:
      'An operator action on a running app: the vibration app’s `rebaseline` forgets an asset’s healthy baseline and learns it again (after a repair); logged and published with who asked',
  })
  act(@Param('name') name: string, @Param('action') action: string, @Body() body: unknown, @AdminUser() by: string): Promise<JsonValue> {
    return this.supervisor.act(name, action, body ?? {}, by);
  }

  @Get(':name/outputs/:output')
  @ApiOkResponse({ description: 'app, output, kind, generatedAt, current, history, historyLimit (README: Outputs are artifacts)' })
  @ApiOperation({ summary: "An output as an artifact request returns it: current state and recent history" })
  output(@Param('name') name: string, @Param('output') output: string): Promise<OutputView> {
    return this.outputs.view(name, this.declared(name, output));
  }

  @Get(':name/outputs/:output/history')
  @ApiOperation({ summary: 'Stored values of an output (events, states), by asset or zone and time range, paginated' })
  async history(@Param('name') name: string, @Param('output') output: string, @Query() q: OutputHistoryQueryDto): Promise<Page<OutputEntry>> {
    this.declared(name, output);
    return this.outputs.history(name, output, q);
  }

  @Get(':name/windows')
  @ApiOperation({ summary: 'Windows of the edge store with their indicators, by asset, channel and time range, paginated' })
  async windows(@Param('name') name: string, @Query() q: WindowQueryDto): Promise<Page<WindowView>> {
    this.supervisor.get(name);
    const page = await this.edge.windows(name, { ...q, fromMs: ms(q.from), toMs: ms(q.to) });
    return {
      ...page,
      items: page.items.map((w) => ({
        id: w.id,
        asset: w.asset,
        channel: w.channel,
        at: w.at,
        samples: w.samples,
        sampleRateHz: w.sampleRate,
        missing: w.missing,
        rawKept: w.segmentId !== null,
        indicators: JSON.parse(w.indicators) as JsonValue,
      })),
    };
  }

  @Get(':name/windows/:id/samples')
  @ApiOperation({ summary: "A window's raw samples (physical values: count x scale), while retention keeps them" })
  async samples(
    @Param('name') name: string,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<{ startMs: number; sampleRateHz: number; scale: number; missing: number; values: number[] }> {
    this.supervisor.get(name);
    const frame = await this.edge.samples(name, id);
    return {
      startMs: frame.startMs,
      sampleRateHz: frame.sampleRateHz,
      scale: frame.scale,
      missing: frame.missing,
      values: Array.from(frame.samples, (s) => s * frame.scale),
    };
  }

  private declared(name: string, output: string): NonNullable<ReturnType<DataAppRegistry['get']>>['outputs'][number] {
    const found = this.registry.get(name)?.outputs.find((o) => o.name === output);
    if (found === undefined) throw ConnectorError.notFound('data-app output', `${name}/${output}`);
    return found;
  }
}
