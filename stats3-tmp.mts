import { readFileSync } from 'node:fs';
import { textSentiment } from './src/care/sentiment.ts';
const rows = readFileSync('/work/shared/data/amazon-musical-instruments-5core/Musical_Instruments.json','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l));
function auc(get:(r:any)=>number|undefined){ const lo:number[]=[],hi:number[]=[]; for(const r of rows){const s=get(r)??0; if(r.overall<=2) lo.push(s); else if(r.overall>=4) hi.push(s);} let w=0; const H=hi.sort((a,b)=>a-b); for(const l of lo){ let a=0,b=H.length; while(a<b){const m=(a+b)>>1; if(H[m]<l)a=m+1; else b=m;} let c=a; let e=c; while(e<H.length&&H[e]===l)e++; w+= c + (e-c)/2; } return w/(lo.length*hi.length); }
console.log('auc text', auc(r=>textSentiment(r.reviewText)).toFixed(3));
console.log('auc summary', auc(r=>textSentiment(r.summary)).toFixed(3));
console.log('auc summary+text', auc(r=>textSentiment(`${r.summary}. ${r.reviewText}`)).toFixed(3));
const all = rows.map(r=>({s:textSentiment(`${r.summary}. ${r.reviewText}`), star:r.overall}));
for (const t of [-0.1,-0.2,-0.3,-0.4,-0.5]) { const neg = all.filter(x=>x.s!==undefined && x.s<t); const low = neg.filter(x=>x.star<=2).length;
  console.log('s+t thr',t,'flagged',neg.length,'<=2',low,'prec',(low/neg.length).toFixed(3),'>=4 flagged',neg.filter(x=>x.star>=4).length, 'share of >=4', (neg.filter(x=>x.star>=4).length/all.filter(x=>x.star>=4).length*100).toFixed(2)+'%');
}
