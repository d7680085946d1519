-- The sample product's one table: ticks reported through ingest, counted per app.
create table sample_ticks (
  app_id text not null,
  tick_id text not null,
  at bigint not null,
  primary key (app_id, tick_id)
);
