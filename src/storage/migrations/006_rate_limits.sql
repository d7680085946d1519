-- The shared counters of the rate limiters (rate-limiter-flexible's RateLimiterPostgres, in
-- the shape it expects), created here rather than by the library at run time. "if not
-- exists": databases of earlier versions already have it, made by the library.
create table if not exists rate_limits (
  key varchar(255) primary key,
  points integer not null default 0,
  expire bigint
);
