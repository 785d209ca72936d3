CREATE TABLE "candles_1m" (
	"bucket" timestamp with time zone NOT NULL,
	"instrument_token" bigint NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" bigint NOT NULL,
	"oi" bigint,
	CONSTRAINT "candles_1m_instrument_token_bucket_pk" PRIMARY KEY("instrument_token","bucket")
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"instrument_token" bigint PRIMARY KEY NOT NULL,
	"exchange_token" bigint,
	"exchange" text NOT NULL,
	"tradingsymbol" text NOT NULL,
	"name" text,
	"segment" text,
	"instrument_type" text,
	"expiry" date,
	"strike" double precision,
	"tick_size" double precision,
	"lot_size" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticks" (
	"time" timestamp with time zone NOT NULL,
	"instrument_token" bigint NOT NULL,
	"ltp" double precision NOT NULL,
	"last_quantity" integer,
	"volume" bigint,
	"average_price" double precision,
	"oi" bigint,
	"bid_price" double precision,
	"bid_quantity" integer,
	"ask_price" double precision,
	"ask_quantity" integer,
	"feed" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "instruments_exchange_symbol_idx" ON "instruments" USING btree ("exchange","tradingsymbol");--> statement-breakpoint
CREATE INDEX "instruments_tradingsymbol_idx" ON "instruments" USING btree ("tradingsymbol");--> statement-breakpoint
CREATE INDEX "ticks_instrument_time_idx" ON "ticks" USING btree ("instrument_token","time" DESC NULLS LAST);