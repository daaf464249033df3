import { defineContract } from '../../contract';
import { fmpDateTime, text, ticker, url } from '../../fields/scalars';

/** `GET /stable/news/stock?symbols=…`: articles per symbol, paged, newest first. */
export const fmpNews = defineContract({
  source: 'fmp',
  dataset: 'news',
  description:
    'Stock news articles per symbol. An article about several symbols appears once per symbol.',
  origin: 'GET /stable/news/stock?symbols=…&from=…&to=…&page=…',
  mode: 'incremental',
  fields: {
    symbol: ticker('Ticker symbol the article was listed under.'),
    publishedDate: fmpDateTime('Publication time (zone-less, as FMP sends it).').named(
      'published_at',
    ),
    publisher: text('Publisher name.').nullable(),
    title: text('Headline.'),
    image: text('Image URL, when the article has one.').nullable().named('image_url'),
    site: text('Domain of the publishing site.').nullable(),
    text: text('Summary or opening text of the article.').nullable().named('summary'),
    url: url('Link to the article; with the symbol, identifies the row.'),
  },
  primaryKey: ['symbol', 'url'],
  cursor: 'published_at',
  partitionBy: 'published_at',
  // Polled continuously by the news-stream task; news flows at weekends too, if slower.
  freshness: { warnAfterHours: 12, errorAfterHours: 48 },
});
